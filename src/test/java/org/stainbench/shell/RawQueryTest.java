package org.stainbench.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;

/**
 * Issue 18: {@code /search?q=100%} typed raw into the address bar (a bare '%' that is no percent-escape) answers 400
 * with a clear message, and is not logged at ERROR with a stack trace. Over real HTTP: the bad escape is Tomcat's to
 * parse, which MockMvc never does.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class RawQueryTest {

    @LocalServerPort
    int port;

    @Autowired
    Accounts accounts;

    String signIn() throws Exception {
        accounts.register("rq-ann", "Ann", Role.MEMBER, "Harbour-Lantern-8813");
        HttpClient client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpResponse<String> page = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(csrf.find()).isTrue();
        String form = "username=rq-ann&password=" + URLEncoder.encode("Harbour-Lantern-8813", StandardCharsets.UTF_8)
                + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> in = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return in.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';')))
                .findFirst()
                .orElseThrow();
    }

    /** A raw GET (no client-side URI checks), returning the whole response. */
    String raw(String target, String cookie) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: text/html\r\nCookie: "
                            + cookie + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            in.transferTo(b);
            return b.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aBarePercentInTheSearchIsA400WithoutAnErrorLog(CapturedOutput output) throws Exception {
        String cookie = signIn();
        String response = raw("/search?q=100%", cookie);
        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(response).contains("percent sign");
        assertThat(output.getOut() + output.getErr()).doesNotContain(" ERROR ").doesNotContain("\tat org.apache");

        // a properly escaped one still searches
        assertThat(raw("/search?q=100%25", cookie)).startsWith("HTTP/1.1 200").contains("100%");
    }
}
