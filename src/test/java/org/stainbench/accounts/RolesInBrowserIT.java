package org.stainbench.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.support.WithBrowser;

/** Real Chromium against the running app: each role's navigation, 403 page, wrong password, logout. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RolesInBrowserIT extends WithBrowser {

    @Autowired
    Accounts accounts;

    @BeforeAll
    void createAccounts() {
        accounts.createUser("mia", "Mia Member", Role.MEMBER, "member-password");
        accounts.createUser("sam", "Sam Supervisor", Role.SUPERVISOR, "supervisor-password");
        accounts.createUser("pat", "Pat Pathologist", Role.PATHOLOGIST, "Fennel-Harbor-6281");
    }

    private List<String> navigation() {
        return browser.driver.findElements(By.cssSelector("#nav a[data-nav]")).stream()
                .map(WebElement::getText)
                .toList();
    }

    @Test
    void eachRoleSeesItsNavigation() {
        browser.signIn("admin", "admin-test-pw");
        assertThat(browser.path()).isEqualTo("/");
        assertThat(navigation()).contains("Overview", "Review", "Admin");
        Path shot = browser.screenshot("home");
        assertThat(shot).exists();
        assertThat(shot.toFile().length()).isGreaterThan(1000);
        browser.signOut();

        browser.signIn("mia", "member-password");
        assertThat(navigation()).contains("Overview", "Review").doesNotContain("Admin");
        browser.signOut();

        browser.signIn("sam", "supervisor-password");
        assertThat(navigation()).contains("Overview").doesNotContain("Admin");
        browser.signOut();

        browser.signIn("pat", "Fennel-Harbor-6281");
        assertThat(browser.path()).isEqualTo("/review");
        assertThat(navigation()).containsExactly("Review");
        browser.signOut();
    }

    @Test
    void aPathologistOpeningAMemberPageGetsThe403Page() {
        browser.signIn("pat", "Fennel-Harbor-6281");
        browser.go("/admin/users");
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Not allowed");
        assertThat(browser.driver.getPageSource()).contains("403");
        browser.go("/datasets");
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Not allowed");
        browser.signOut();
    }

    @Test
    void aWrongPasswordShowsAnError() {
        browser.signIn("mia", "not-the-password");
        assertThat(browser.driver.findElement(By.id("login-error")).getText()).contains("Wrong user name or password");
        assertThat(browser.path()).startsWith("/login");
    }

    @Test
    void logoutEndsTheSession() {
        browser.signIn("sam", "supervisor-password");
        browser.signOut();
        assertThat(browser.driver.findElement(By.id("logged-out")).getText()).contains("signed out");
        browser.go("/");
        assertThat(browser.path()).startsWith("/login");
    }

    @Test
    void adminCreatesAPathologistAndATokenInTheBrowser() throws Exception {
        browser.signIn("admin", "admin-test-pw");
        browser.go("/admin/users");
        browser.driver.findElement(By.id("new-username")).sendKeys("dr.lee");
        browser.driver.findElement(By.id("new-displayname")).sendKeys("Dr Lee");
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("new-role")))
                .selectByValue("PATHOLOGIST");
        browser.driver.findElement(By.id("new-password")).sendKeys("lee-password-1");
        browser.driver.findElement(By.id("create-user")).click();
        assertThat(browser.driver.findElement(By.cssSelector(".flash.ok")).getText())
                .contains("dr.lee");
        assertThat(browser.driver
                        .findElement(By.cssSelector("tr[data-user='dr.lee']"))
                        .getText())
                .contains("Dr Lee");

        browser.go("/admin/tokens");
        browser.driver.findElement(By.id("token-name")).sendKeys("gpu-node-01");
        new org.openqa.selenium.support.ui.Select(browser.driver.findElement(By.id("token-scope")))
                .selectByValue("NODE");
        browser.driver.findElement(By.id("create-token")).click();
        String secret = browser.driver.findElement(By.id("token-secret")).getText();
        assertThat(secret).startsWith("sbt_");
        browser.screenshot("admin-tokens");
        browser.go("/admin/tokens");
        assertThat(browser.driver.getPageSource()).doesNotContain(secret);
        browser.signOut();
        Files.createDirectories(Path.of("target"));
    }

    @Test
    void theContentSecurityPolicyBlocksInlineScriptsAndTheTestsNoticeIt() {
        browser.signIn("mia", "member-password");
        browser.go("/runs");
        js().executeScript("var s = document.createElement('script'); s.textContent = 'window.inlineRan = true;';"
                + " document.body.appendChild(s);"
                + " var d = document.createElement('div'); d.setAttribute('onclick', 'window.inlineRan = true;');"
                + " document.body.appendChild(d); d.click();");
        assertThat(js().executeScript("return window.inlineRan === true;")).isEqualTo(false);
        List<String> violations = browser.waiting(java.time.Duration.ofSeconds(10))
                .until(d -> browser.cspViolations().size() >= 2 ? browser.cspViolations() : null);
        assertThat(String.join("\n", violations)).contains("script-src");
        browser.takeCspViolations();
        browser.signOut();
    }
}
