package org.stainbench.accounts;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two filter chains. {@code /api/**}: stateless, machine tokens only, errors as problem JSON; a job's per-attempt
 * credential (scope JOB) reaches the MLflow API ({@code /api/2.0/mlflow/**}, {@code /api/2.0/mlflow-artifacts/**})
 * and its features job's endpoints ({@code /api/evaluations/feature-jobs/**}), nothing else (403).
 * Everything else: form login with CSRF; GET needs SUPERVISOR (or higher), changes and the pages that are only a
 * form ({@link #MEMBER_FORMS}) need MEMBER,
 * {@code /admin/**} needs ADMIN; pathologists reach only {@code /review/**}; everyone signed in
 * reaches {@code /account} (own password). A browser session ends when its user changes ({@link StaleSessionFilter});
 * sign-ins are throttled ({@link LoginThrottleFilter}); pages carry a strict Content-Security-Policy.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    /**
     * Pages load scripts, styles, images and fonts from this server only (the project's {@code /js}, {@code /css} and
     * the webjars); no inline scripts, event-handler attributes, inline styles or eval.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
            + "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    /** GET pages that are nothing but a form only a member may submit: a supervisor gets 403, not a dead form. */
    static final String[] MEMBER_FORMS = {
        "/training/new",
        "/training/cpu",
        "/jobs/new",
        "/reports/new",
        "/review/sessions/new",
        "/datasets/*/delete",
        "/checkpoints/*/delete",
        "/runs/*/delete",
        "/runs/experiments/*/delete"
    };

    static final String PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
            + "serial=(), bluetooth=(), midi=(), magnetometer=(), gyroscope=(), accelerometer=(), "
            + "display-capture=()";

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(
            HttpSecurity http,
            MachineTokenRepository tokens,
            TransactionTemplate tx,
            Clock clock,
            ObjectProvider<CredentialResolver> credentials,
            UserRepository users)
            throws Exception {
        ProblemResponses problems = new ProblemResponses();
        http.securityMatcher("/api/**")
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .addFilterBefore(
                        new BearerTokenFilter(tokens, problems, tx, clock, credentials, users),
                        AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.requestMatchers("/api/2.0/mlflow/**", "/api/2.0/mlflow-artifacts/**")
                        .authenticated()
                        // a features job's own credential reads its work and uploads its features (issue 21); the
                        // controller lets that job's credential in and nobody else
                        .requestMatchers("/api/evaluations/feature-jobs/**")
                        .authenticated()
                        // a job credential (SCOPE_JOB) is for the MLflow API only
                        .anyRequest()
                        .access(AuthorizationManagers.allOf(
                                AuthenticatedAuthorizationManager.authenticated(),
                                AuthorizationManagers.not(
                                        AuthorityAuthorizationManager.hasAuthority(TokenScope.JOB.authority())))))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain webChain(HttpSecurity http, UserRepository users, LoginThrottle throttle) throws Exception {
        LoginThrottleFilter throttling = new LoginThrottleFilter(throttle);
        http.addFilterBefore(new StaleSessionFilter(users), AnonymousAuthenticationFilter.class)
                .addFilterBefore(throttling, UsernamePasswordAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.requestMatchers(
                                "/login",
                                "/error",
                                "/css/**",
                                "/js/**",
                                "/img/**",
                                "/webjars/**",
                                "/favicon.ico",
                                "/actuator/health",
                                "/actuator/health/**")
                        .permitAll()
                        .requestMatchers("/admin/**")
                        .hasRole("ADMIN")
                        // pages that are only a form a supervisor could not submit (issue 18): members only
                        .requestMatchers(HttpMethod.GET, MEMBER_FORMS)
                        .hasRole("MEMBER")
                        .requestMatchers("/review/**")
                        .hasAnyRole("PATHOLOGIST", "SUPERVISOR")
                        .requestMatchers("/", "/account", "/account/**")
                        .authenticated()
                        .requestMatchers(HttpMethod.GET, "/**")
                        .hasRole("SUPERVISOR")
                        .anyRequest()
                        .hasRole("MEMBER"))
                .formLogin(f -> f.loginPage("/login")
                        .successHandler(throttling)
                        .failureHandler(throttling)
                        .permitAll())
                .logout(l ->
                        l.logoutUrl("/logout").logoutSuccessUrl("/login?logout").permitAll())
                .headers(h -> h.frameOptions(f -> f.sameOrigin())
                        // written when the response commits, and only where the response has none of its own
                        // (artifact downloads and the report print document set a stricter one)
                        .contentSecurityPolicy(c -> c.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(r -> r.policy(ReferrerPolicy.SAME_ORIGIN))
                        .permissionsPolicyHeader(p -> p.policy(PERMISSIONS_POLICY)));
        return http.build();
    }
}
