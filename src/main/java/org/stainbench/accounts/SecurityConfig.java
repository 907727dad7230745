package org.stainbench.accounts;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two filter chains. {@code /api/**}: stateless, machine tokens only, errors as problem JSON.
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
            Clock clock) throws Exception {
        ProblemResponses problems = new ProblemResponses();
        http.securityMatcher("/api/**")
                .csrf(c -> c.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .addFilterBefore(new BearerTokenFilter(tokens, problems, tx, clock),
                        AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain webChain(HttpSecurity http, UserRepository users, LoginThrottle throttle) throws Exception {
        LoginThrottleFilter throttling = new LoginThrottleFilter(throttle);
        http.addFilterBefore(new StaleSessionFilter(users), AnonymousAuthenticationFilter.class)
                .addFilterBefore(throttling, UsernamePasswordAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a
                .requestMatchers("/login", "/error", "/css/**", "/js/**", "/img/**", "/webjars/**",
                        "/favicon.ico", "/actuator/health", "/actuator/health/**").permitAll()
                .requestMatchers("/admin/**").hasRole("ADMIN")
                .requestMatchers("/review/**").hasAnyRole("PATHOLOGIST", "SUPERVISOR")
                .requestMatchers("/", "/account", "/account/**").authenticated()
                .requestMatchers(HttpMethod.GET, "/**").hasRole("SUPERVISOR")
                .anyRequest().hasRole("MEMBER"))
                .formLogin(f -> f.loginPage("/login").successHandler(throttling).failureHandler(throttling).permitAll())
                .logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?logout").permitAll())
                .headers(h -> h.frameOptions(f -> f.sameOrigin()));
        return http.build();
    }
}
