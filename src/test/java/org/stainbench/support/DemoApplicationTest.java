package org.stainbench.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The one application that the browser tests on the demo project share: put it on a {@link WithBrowser} subclass
 * instead of its own {@code @SpringBootTest}. Every class with exactly this configuration gets the same cached Spring
 * context, so the demo (ingest of its four datasets, the two baselines and their generated sets, the real-tissue sets)
 * is loaded once for all of them ({@link Demo#load} returns at once when it is there) and only one set of job workers
 * stays alive. Do not add properties, {@code @MockitoBean}s, {@code @Import}s or {@code @DynamicPropertySource}s to a
 * class that uses it: any of them makes a context (and a demo load) of its own.
 * <p>
 * The classes run one after another in one JVM (never two at once: {@link ExecutionMode#SAME_THREAD}), in an order
 * nobody promises, so each test counts relative to what it finds: it names the checkpoints, sets, accounts and
 * sessions it made or the demo made ({@link Demo#isDemoBaselineSet}), and never assumes it is the first or the only
 * one (no "exactly N checkpoints in the application"). A test that must see the whole application in a known state
 * (the dashboard's counts of every evaluation) needs an application of its own and says why.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "stainbench.test.application=demo")
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.SAME_THREAD)
public @interface DemoApplicationTest {}
