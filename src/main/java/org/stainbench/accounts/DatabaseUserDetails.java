package org.stainbench.accounts;

import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

@Component
class DatabaseUserDetails implements UserDetailsService {

    private final UserRepository users;

    DatabaseUserDetails(UserRepository users) {
        this.users = users;
    }

    @Override
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String username) {
        UserAccount u = users.findByUsername(
                        username == null ? "" : username.trim().toLowerCase())
                .orElseThrow(() -> new UsernameNotFoundException("No such user"));
        return new SignedInUser(
                u, AuthorityUtils.createAuthorityList(u.getRole().authorities()));
    }
}
