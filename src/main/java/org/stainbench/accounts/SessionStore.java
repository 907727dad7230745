package org.stainbench.accounts;

import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.session.jdbc.config.annotation.web.http.EnableJdbcHttpSession;
import org.springframework.session.web.http.CookieSerializer;
import org.springframework.session.web.http.DefaultCookieSerializer;

/**
 * {@code stainbench.sessions.store=jdbc}: browser sessions live in the database (Spring Session JDBC, tables
 * {@code spring_session*} from migration V70) instead of the server's memory, so several application instances behind
 * one load balancer share their users' sign-ins, and a restart signs nobody out. The default ({@code memory}) keeps
 * them in the servlet container, which is enough for one instance.
 * <p>
 * The rules of the web chain hold unchanged on both stores: the session id changes at sign-in (session fixation),
 * and {@link StaleSessionFilter} compares the user's row with the fingerprint in the session on every request. The
 * cookie keeps the container's name and flags ({@code server.servlet.session.cookie.*}: HttpOnly, SameSite=Lax,
 * Secure over TLS) and the session the idle timeout {@code server.servlet.session.timeout}. Expired rows are deleted
 * once a minute by every instance (one DELETE; harmless when several run it).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "stainbench.sessions.store", havingValue = "jdbc")
@EnableJdbcHttpSession
class SessionStore {

    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> sessionTimeout(
            @Value("${server.servlet.session.timeout:30m}") Duration timeout) {
        return repository -> repository.setDefaultMaxInactiveInterval(timeout);
    }

    @Bean
    CookieSerializer sessionCookie(
            @Value("${server.servlet.session.cookie.name:JSESSIONID}") String name,
            @Value("${server.servlet.session.cookie.same-site:lax}") String sameSite) {
        DefaultCookieSerializer cookie = new DefaultCookieSerializer();
        cookie.setCookieName(name);
        cookie.setSameSite(
                sameSite.substring(0, 1).toUpperCase() + sameSite.substring(1).toLowerCase());
        cookie.setUseHttpOnlyCookie(true);
        cookie.setUseBase64Encoding(false);
        cookie.setCookiePath("/");
        return cookie;
    }
}
