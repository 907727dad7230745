/**
 * Users, roles, machine tokens and the security configuration.
 * <p>
 * Roles: ADMIN ⊃ MEMBER ⊃ SUPERVISOR (each grants the authorities of the ones it contains);
 * PATHOLOGIST stands apart and sees only review pages. Machine tokens authenticate on
 * {@code /api/**} only. Other modules read the caller through {@link org.stainbench.accounts.ApiPrincipal}.
 */
@ApplicationModule(allowedDependencies = {"shell"})
package org.stainbench.accounts;

import org.springframework.modulith.ApplicationModule;
