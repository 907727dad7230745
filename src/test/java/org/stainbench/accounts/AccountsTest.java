package org.stainbench.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.ActiveProfiles;

@SpringBootTest
@ActiveProfiles("test")
class AccountsTest {

    @Autowired
    Accounts accounts;

    @Autowired
    UserRepository users;

    @Autowired
    MachineTokenRepository tokens;

    @Autowired
    PasswordEncoder encoder;

    @Test
    void firstStartCreatedTheAdminWithTheConfiguredPassword() {
        UserAccount admin = users.findByUsername("admin").orElseThrow();
        assertThat(admin.getRole()).isEqualTo(Role.ADMIN);
        assertThat(admin.getPasswordHash()).startsWith("$2");
        assertThat(encoder.matches("admin-test-pw", admin.getPasswordHash())).isTrue();
    }

    @Test
    void userNamesAreCheckedAndUnique() {
        assertThatThrownBy(() -> accounts.createUser("a b", null, Role.MEMBER, "long-enough-pw"))
                .hasMessageContaining("User name must be");
        accounts.createUser("Carol", null, Role.MEMBER, "long-enough-pw");
        assertThatThrownBy(() -> accounts.createUser("carol", null, Role.MEMBER, "long-enough-pw"))
                .hasMessage("A user named 'carol' already exists.");
    }

    @Test
    void theLastAdministratorCannotBeDemotedOrDisabled() {
        long adminId = users.findByUsername("admin").orElseThrow().getId();
        assertThatThrownBy(() -> accounts.changeRole(adminId, Role.MEMBER, "someone"))
                .hasMessageContaining("last enabled administrator");
        assertThatThrownBy(() -> accounts.setEnabled(adminId, false, "admin"))
                .hasMessage("You cannot disable your own account.");
        assertThat(users.findById(adminId).orElseThrow().getRole()).isEqualTo(Role.ADMIN);
    }

    @Test
    void tokensAreStoredAsHashesOnly() {
        Accounts.IssuedToken t = accounts.issueToken("hash-check", "admin", TokenScope.API);
        MachineToken stored = tokens.findById(t.id()).orElseThrow();
        assertThat(tokens.findByTokenHash(TokenSecrets.hash(t.secret()))).isPresent();
        assertThat(stored.getTokenPrefix()).isEqualTo(t.secret().substring(0, 10));
        assertThat(TokenSecrets.hash(t.secret())).hasSize(64).doesNotContain(t.secret());
    }

    @Test
    void disablingTheOwnerDisablesItsTokens() {
        UserAccount bob = accounts.createUser("bob", null, Role.MEMBER, "long-enough-pw");
        Accounts.IssuedToken t = accounts.issueToken("bob-script", "bob", TokenScope.API);
        accounts.setEnabled(bob.getId(), false, "admin");
        assertThat(tokens.findById(t.id()).orElseThrow().isActive()).isFalse();
    }
}
