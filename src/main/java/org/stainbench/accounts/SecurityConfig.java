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
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two filter chains. {@code /api/**}: stateless, machine tokens only, errors as problem JSON; a job's per-attempt
 * credential (scope JOB) reaches the MLflow API ({@code /api/2.0/mlflow/**}, {@code /api/2.0/mlflow-artifacts/**})
 * and nothing else (403).
 * Everything else: form login with CSRF; GET needs SUPERVISOR (or higher), changes need MEMBER,
 * {@code /admin/**} needs ADMIN; pathologists reach only {@code /review/**}; everyone signed in
 * reaches {@code /account} (own password).
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiChain(HttpSecurity http, MachineTokenRepository tokens, TransactionTemplate tx,
            Clock clock, ObjectProvider<CredentialResolver> credentials, UserRepository users) throws Exception {
        ProblemResponses problems = new ProblemResponses();
        http.securityMatcher("/api/**")
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .addFilterBefore(new BearerTokenFilter(tokens, problems, tx, clock, credentials, users),
                        AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/api/2.0/mlflow/**", "/api/2.0/mlflow-artifacts/**").authenticated()
                        // a job credential (SCOPE_JOB) is for the MLflow API only
                        .anyRequest().access(AuthorizationManagers.allOf(
                                AuthenticatedAuthorizationManager.authenticated(),
                                AuthorizationManagers.not(AuthorityAuthorizationManager.hasAuthority(
                                        TokenScope.JOB.authority())))))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain webChain(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(a -> a
                .requestMatchers("/login", "/error", "/css/**", "/js/**", "/img/**", "/webjars/**",
                        "/favicon.ico", "/actuator/health", "/actuator/health/**").permitAll()
                .requestMatchers("/admin/**").hasRole("ADMIN")
                .requestMatchers("/review/**").hasAnyRole("PATHOLOGIST", "SUPERVISOR")
                .requestMatchers("/", "/account", "/account/**").authenticated()
                .requestMatchers(HttpMethod.GET, "/**").hasRole("SUPERVISOR")
                .anyRequest().hasRole("MEMBER"))
                .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?logout").permitAll())
                .headers(h -> h.frameOptions(f -> f.sameOrigin()));
        return http.build();
    }
}
