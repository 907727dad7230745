package org.stainbench.training;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.stainbench.accounts.Accounts;
import org.stainbench.accounts.Role;
import org.stainbench.catalog.Catalog;
import org.stainbench.catalog.Stain;
import org.stainbench.support.WithBrowser;

/**
 * Issue 18: the LoRA form's problem was shown below the command template with the page scrolled to the top. Now it is
 * at the top, in view and focused after the submit, and the split side's problem is next to that field.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class FormErrorsInBrowserIT extends WithBrowser {

    @Autowired
    Accounts accounts;

    @Autowired
    Catalog catalog;

    long dataset;

    @BeforeAll
    void data() {
        accounts.register("fe-mia", null, Role.MEMBER, "Tulip-Quarry-4471");
        dataset = catalog.createDataset("fe-unsplit H&E", Stain.HE, null, null, 1024, null, "fe-mia");
    }

    @Test
    void theProblemIsFocusedAtTheTopAndNextToItsField() {
        browser.signIn("fe-mia", "Tulip-Quarry-4471");
        browser.go("/training/new");
        assertThat(new Select(browser.driver.findElement(By.id("f-split")))
                        .getFirstSelectedOption()
                        .getAttribute("value"))
                .isEqualTo("all");
        new Select(browser.driver.findElement(By.id("f-datasetId"))).selectByValue(Long.toString(dataset));
        new Select(browser.driver.findElement(By.id("f-split"))).selectByValue("train");
        js().executeScript("document.getElementById('lora-form').submit();");
        browser.waitFor(By.id("form-errors"));
        browser.waiting(java.time.Duration.ofSeconds(10)).until(d -> "form-errors"
                .equals(js().executeScript("return document.activeElement && document.activeElement.id;")));
        Object top = js().executeScript("return document.getElementById('form-errors').getBoundingClientRect().top;");
        Object height = js().executeScript("return window.innerHeight;");
        assertThat(((Number) top).doubleValue()).isBetween(-1.0, ((Number) height).doubleValue() - 40);
        assertThat(browser.driver.findElement(By.id("f-split-error")).getText())
                .contains("has no train/test split yet");
        assertThat(browser.driver.findElement(By.id("f-split")).getAttribute("aria-invalid"))
                .isEqualTo("true");
        browser.screenshot("lora-form-problem-focused");
    }
}
