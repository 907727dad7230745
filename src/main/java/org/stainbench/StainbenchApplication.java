package org.stainbench;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Stainbench: experiment tracking for virtual immunohistochemistry.
 * Each sub-package is one feature module (see README, "Where is what").
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StainbenchApplication {

    public static void main(String[] args) {
        SpringApplication.run(StainbenchApplication.class, args);
    }
}
