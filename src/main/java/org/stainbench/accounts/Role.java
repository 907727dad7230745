package org.stainbench.accounts;

import java.util.List;

/** A user's role. Higher roles carry the authorities of the roles they contain. */
public enum Role {
    ADMIN("Administrator"),
    MEMBER("Team member"),
    SUPERVISOR("Supervisor (read-only)"),
    PATHOLOGIST("Pathologist (review only)");

    private final String description;

    Role(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Spring Security authorities granted by this role, itself first. */
    public List<String> authorities() {
        return switch (this) {
            case ADMIN -> List.of("ROLE_ADMIN", "ROLE_MEMBER", "ROLE_SUPERVISOR");
            case MEMBER -> List.of("ROLE_MEMBER", "ROLE_SUPERVISOR");
            case SUPERVISOR -> List.of("ROLE_SUPERVISOR");
            case PATHOLOGIST -> List.of("ROLE_PATHOLOGIST");
        };
    }
}
