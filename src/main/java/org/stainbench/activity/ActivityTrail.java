package org.stainbench.activity;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageImpl;
import org.springframework.data.domain.Pageable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.stainbench.shell.Activity;

/** Stores activities (after commit, in a transaction of its own) and queries them. */
@Component
class ActivityTrail {

    private final JdbcClient jdbc;
    private final Clock clock;

    ActivityTrail(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void record(Activity a) {
        jdbc.sql("insert into activity (at, actor, action, subject_type, subject_id, summary, href)"
                        + " values (:at, :actor, :action, :subjectType, :subjectId, :summary, :href)")
                .param("at", Timestamp.from(clock.instant()))
                .param("actor", cut(a.actor(), 64))
                .param("action", cut(a.action(), 32))
                .param("subjectType", cut(a.subjectType(), 32))
                .param("subjectId", cut(a.subjectId(), 64))
                .param("summary", cut(a.summary(), 1000))
                .param("href", cut(a.href(), 500))
                .update();
    }

    record Entry(
            long id,
            Instant at,
            String actor,
            String action,
            String subjectType,
            String subjectId,
            String summary,
            String href) {}

    record Filter(String actor, String action, String subjectType, LocalDate from, LocalDate to) {

        boolean isEmpty() {
            return blank(actor) && blank(action) && blank(subjectType) && from == null && to == null;
        }
    }

    @Transactional(readOnly = true)
    Page<Entry> find(Filter f, Pageable page) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        List<Object> args = new ArrayList<>();
        if (!blank(f.actor())) {
            where.append(" and actor = ?");
            args.add(f.actor().trim());
        }
        if (!blank(f.action())) {
            where.append(" and action = ?");
            args.add(f.action().trim());
        }
        if (!blank(f.subjectType())) {
            where.append(" and subject_type = ?");
            args.add(f.subjectType().trim());
        }
        if (f.from() != null) {
            where.append(" and at >= ?");
            args.add(Timestamp.from(f.from().atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
        if (f.to() != null) {
            where.append(" and at < ?");
            args.add(Timestamp.from(
                    f.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
        long total = jdbc.sql("select count(*) from activity" + where)
                .params(args)
                .query(Long.class)
                .single();
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(page.getPageSize());
        pageArgs.add(page.getOffset());
        List<Entry> rows = jdbc.sql("select * from activity" + where + " order by at desc, id desc limit ? offset ?")
                .params(pageArgs)
                .query((rs, i) -> new Entry(
                        rs.getLong("id"),
                        rs.getTimestamp("at").toInstant(),
                        rs.getString("actor"),
                        rs.getString("action"),
                        rs.getString("subject_type"),
                        rs.getString("subject_id"),
                        rs.getString("summary"),
                        rs.getString("href")))
                .list();
        return new PageImpl<>(rows, page, total);
    }

    @Transactional(readOnly = true)
    List<String> distinct(String column) {
        if (!List.of("actor", "action", "subject_type").contains(column)) {
            throw new IllegalArgumentException(column);
        }
        return jdbc.sql("select distinct " + column + " from activity order by " + column)
                .query(String.class)
                .list();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
