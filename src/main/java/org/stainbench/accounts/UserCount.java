package org.stainbench.accounts;

import org.springframework.stereotype.Component;
import org.stainbench.shell.InventoryCount;

@Component
class UserCount implements InventoryCount {

    private final UserRepository users;

    UserCount(UserRepository users) {
        this.users = users;
    }

    @Override
    public String label() {
        return "users";
    }

    @Override
    public long count() {
        return users.count();
    }

    @Override
    public String href() {
        return "/admin/users";
    }

    @Override
    public int order() {
        return 100;
    }
}
