-- The dashboard's "what changed since your last visit": per user the latest view and the last view of the visit before.
create table dashboard_visit (
    username    varchar(64) primary key,
    visited_at  timestamp   not null,
    previous_at timestamp
);
