package org.stainbench.support;

import java.time.Duration;
import java.util.List;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The layout rule of every page (issue 18, see src/docs/testing.md): at 1440 and 1024 px wide the document does not
 * scroll sideways ({@code scrollWidth <= clientWidth}). For browser tests whose pages the layout walk of
 * {@code LayoutInBrowserIT} does not reach (its application has no review session, for one).
 */
public final class Layout {

    public static final List<Integer> WIDTHS = List.of(1440, 1024);

    private Layout() {}

    /** Opens {@code path} at each width and fails, with a screenshot, when it scrolls sideways; back to 1366 px after. */
    public static void assertFits(Browser browser, String path, String screenshot) {
        JavascriptExecutor js = (JavascriptExecutor) browser.driver;
        try {
            for (int width : WIDTHS) {
                browser.driver.manage().window().setSize(new Dimension(width, 900));
                browser.go(path);
                browser.waiting(Duration.ofSeconds(20))
                        .until(d -> "complete".equals(js.executeScript("return document.readyState")));
                browser.waiting(Duration.ofSeconds(10)).until(d ->
                        (Boolean) js.executeScript("return document.querySelectorAll('.htmx-request').length === 0;"));
                Boolean fits = (Boolean)
                        js.executeScript("var de = document.documentElement; return de.scrollWidth <= de.clientWidth;");
                if (!Boolean.TRUE.equals(fits)) {
                    browser.screenshot(screenshot + "-" + width);
                    throw new AssertionError(path + " scrolls sideways at " + width + " px: scrollWidth "
                            + js.executeScript("return document.documentElement.scrollWidth") + " > clientWidth "
                            + js.executeScript("return document.documentElement.clientWidth"));
                }
            }
        } finally {
            browser.driver.manage().window().setSize(new Dimension(1366, 900));
        }
    }
}
