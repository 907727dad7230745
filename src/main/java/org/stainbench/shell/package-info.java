/**
 * The page shell: layout model attributes, home page, error pages and problem details, the clock.
 * Other modules contribute to the home page through {@link org.stainbench.shell.InventoryCount}.
 */
@ApplicationModule(allowedDependencies = {})
package org.stainbench.shell;

import org.springframework.modulith.ApplicationModule;
