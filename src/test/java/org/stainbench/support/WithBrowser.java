package org.stainbench.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.JavascriptExecutor;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The Chromium of a browser test: opened on the test's server once before the class's tests (skipped, or failed
 * under CI, where Chromium is missing: {@link Browser#require()}) and closed after them. The subclass keeps its own
 * {@code @SpringBootTest(webEnvironment = RANDOM_PORT, ...)} and creates its accounts in a {@code @BeforeAll} of its
 * own, which JUnit runs after this class's. A Content-Security-Policy violation reported in the browser console fails
 * the test ({@link Browser#assertNoCspViolations()}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
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
