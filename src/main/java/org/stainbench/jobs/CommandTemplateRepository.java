package org.stainbench.jobs;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

/**
 * The {@code command_template} table (Spring Data JPA): the template list, lookups and saves. Package-private: behind
 * {@link CommandTemplates}, which owns the checks, the activity events and the launch.
 */
interface CommandTemplateRepository extends JpaRepository<CommandTemplateEntity, Long> {

    List<CommandTemplateEntity> findAllByOrderByNameAsc();

    Optional<CommandTemplateEntity> findByName(String name);
}
