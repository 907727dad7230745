package org.stainbench.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Issue 15, item 12, over real HTTP with forwarded headers honoured (as with STAINBENCH_FORWARD_HEADERS=native): the
 * session cookie is SameSite=Lax and HttpOnly, and Secure when the proxy says the request came over TLS; pages carry
 * Content-Security-Policy, Referrer-Policy and Permissions-Policy; a response with a policy of its own keeps it.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "server.forward-headers-strategy=native")
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Import(SecurityHeadersIT.OwnPolicy.class)
class SecurityHeadersIT {

    /** Stands in for a response that sets its own, stricter policy (artifact downloads, the report print). */
    @RestController
    static class OwnPolicy {
        @GetMapping("/test-own-policy")
        ResponseEntity<String> own() {
            return ResponseEntity.ok()
                    .header("Content-Security-Policy", "sandbox")
                    .body("own");
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Accounts accounts;

    @BeforeAll
    void account() {
        accounts.createUser("sh-vic", null, Role.SUPERVISOR, "Mosaic-Pelican-3057");
    }

    private HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET();
    }

    private static String sessionCookie(HttpResponse<?> r) {
        return r.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("JSESSIONID="))
                .findFirst()
                .orElseThrow(() ->
                        new AssertionError("no session cookie in " + r.headers().map()));
    }

    @Test
    void pagesCarryTheSecurityHeaders() throws Exception {
        HttpResponse<String> login = send(HttpClient.newHttpClient(), get("/login"));
        assertThat(login.statusCode()).isEqualTo(200);
        String csp = login.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp)
                .contains(
                        "default-src 'self'",
                        "script-src 'self'",
                        "style-src 'self'",
                        "object-src 'none'",
                        "frame-ancestors 'none'",
                        "base-uri 'self'",
                        "form-action 'self'",
                        "img-src 'self' data: blob:");
        assertThat(csp).doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(login.headers().firstValue("Referrer-Policy")).contains("same-origin");
        assertThat(login.headers().firstValue("Permissions-Policy").orElseThrow())
                .contains("camera=()", "microphone=()", "geolocation=()");
        assertThat(login.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
    }

    @Test
    void theSessionCookieIsLaxAndHttpOnlyAndSecureBehindTls() throws Exception {
        String plain = sessionCookie(send(HttpClient.newHttpClient(), get("/login")));
        assertThat(plain)
                .containsIgnoringCase("SameSite=Lax")
                .containsIgnoringCase("HttpOnly")
                .doesNotContainIgnoringCase("Secure");

        HttpResponse<String> viaProxy = send(
                HttpClient.newHttpClient(),
                get("/login").header("X-Forwarded-Proto", "https").header("X-Forwarded-For", "203.0.113.9"));
        assertThat(sessionCookie(viaProxy)).containsIgnoringCase("SameSite=Lax").containsIgnoringCase("Secure");
    }

    @Test
    void aResponseWithItsOwnPolicyKeepsIt() throws Exception {
        HttpClient client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpResponse<String> page = send(client, get("/login"));
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(csrf.find()).isTrue();
        String form = "username=sh-vic&password=" + URLEncoder.encode("Mosaic-Pelican-3057", StandardCharsets.UTF_8)
                + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> signedIn = send(
                client,
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).doesNotContain("error");

        HttpResponse<String> own = send(client, get("/test-own-policy"));
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.headers().allValues("Content-Security-Policy")).isEqualTo(List.of("sandbox"));
        HttpResponse<String> dashboard = send(client, get("/dashboard"));
        assertThat(dashboard.statusCode()).isEqualTo(200);
        assertThat(dashboard.headers().firstValue("Content-Security-Policy").orElseThrow())
                .startsWith("default-src 'self'");
    }
}
