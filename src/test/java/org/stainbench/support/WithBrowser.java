package org.stainbench.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.openqa.selenium.JavascriptExecutor;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The Chromium of a browser test: opened on the test's server once before the class's tests (skipped, or failed
 * under CI, where Chromium is missing: {@link Browser#require()}) and closed after them. The subclass keeps its own
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT, ...)} and creates its accounts in a {@code @BeforeAll} of its
 * own, which JUnit runs after this class's. A Content-Security-Policy violation reported in the browser console fails
 * the test ({@link Browser#assertNoCspViolations()}).
 * <p>
 * Browser test classes run one after another ({@link ExecutionMode#SAME_THREAD}), never beside each other: classes
 * that share a Spring context (the demo application of {@link DemoApplicationTest}, the plain test application) would
 * see each other's clicks. The integration tests without a browser (agents, Slurm, PostgreSQL, two instances) run
 * beside them (Failsafe's {@code junit.jupiter.execution.parallel} settings in pom.xml).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Execution(ExecutionMode.SAME_THREAD)
public abstract class WithBrowser {

    @LocalServerPort
    protected int port;

    protected Browser browser;

    @BeforeAll
    protected void openBrowser() {
        browser = Browser.open(port);
    }

    /** Any Content-Security-Policy violation during a test fails it. */
    @AfterEach
    protected void noCspViolations() {
        if (browser != null) {
            browser.assertNoCspViolations();
        }
    }

    @AfterAll
    protected void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    protected JavascriptExecutor js() {
        return (JavascriptExecutor) browser.driver;
    }
}
