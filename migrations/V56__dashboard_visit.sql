-- The dashboard's "what changed since your last visit": per user the start of the current visit and of the one before.
create table dashboard_visit (
    username    varchar(64) primary key,
    visited_at  timestamp   not null,
    previous_at timestamp
);
