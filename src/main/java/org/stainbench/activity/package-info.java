/**
 * The activity trail: records every {@link org.stainbench.shell.Activity} event after its transaction
 * commits, and shows them, filterable and paged, to admins and supervisors.
 */
@ApplicationModule(allowedDependencies = {"shell"})
package org.stainbench.activity;

import org.springframework.modulith.ApplicationModule;
