package org.stainbench.support;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser-like HTTP client for tests against a server on a real port: keeps cookies (the session cookie), signs in
 * through the login form with its CSRF token, never follows redirects (so a test sees where it is sent). The cookie
 * jar can be carried to another base URL (another instance of the application) with {@link #at(String)}.
 */
public final class WebClient {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"");

    private final String base;
    private final CookieManager cookies;
    private final HttpClient http;

    public WebClient(String base) {
        this(base, new CookieManager());
    }

    private WebClient(String base, CookieManager cookies) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.cookies = cookies;
        this.http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** The same cookies sent to another server (the session cookie is copied to that host and port). */
    public WebClient at(String otherBase) {
        CookieManager copy = new CookieManager();
        URI to = URI.create(otherBase);
        for (HttpCookie c : cookies.getCookieStore().getCookies()) {
            HttpCookie d = (HttpCookie) c.clone();
            d.setDomain(null);
            copy.getCookieStore().add(to, d);
        }
        return new WebClient(otherBase, copy);
    }

    /** The value of a cookie this client holds, if any. */
    public Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue)
                .findFirst();
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A form POST with the CSRF token read from {@code formPage}. */
    public HttpResponse<String> postForm(String formPage, String path, Map<String, String> fields)
            throws IOException, InterruptedException {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("_csrf", csrf(formPage));
        String body = all.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Signs in through the login form; returns the redirect target (the home page when it worked). */
    public String signIn(String user, String password) throws IOException, InterruptedException {
        HttpResponse<String> r = postForm("/login", "/login", Map.of("username", user, "password", password));
        return r.headers().firstValue("Location").orElse("(status " + r.statusCode() + ")");
    }

    private String csrf(String page) throws IOException, InterruptedException {
        HttpResponse<String> r = get(page);
        Matcher m = CSRF.matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("No CSRF token on " + page + " (status " + r.statusCode() + ")");
        }
        return m.group(1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Where a response sends the browser ("" when it does not redirect). */
    public static String location(HttpResponse<?> r) {
        return r.headers().firstValue("Location").orElse("");
    }
}
