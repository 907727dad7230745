-- The latest point of every metric of a run (MLflow's "latest_metrics"): the largest step, then the latest
-- timestamp, then the largest value. Kept by every metric write (runs/log-metric, runs/log-batch), so search,
-- ordering and the runs table never read the history in run_metric.
create table run_latest_metric (
    run_id       bigint           not null references tracked_run (id),
    metric_key   varchar(250)     not null,
    metric_value double precision not null,
    is_nan       boolean          not null,
    ts           bigint           not null,
    step         bigint           not null,
    primary key (run_id, metric_key)
);
-- Read through its primary key only: search asks per run (correlated by run_id), and a (key, value) index would
-- tempt the planner into scanning every run's row of the key for each run.

-- Back-fill from the stored history: per (run, key) the point with the largest (step, ts, value).
insert into run_latest_metric (run_id, metric_key, metric_value, is_nan, ts, step)
select m.run_id, m.metric_key, max(m.metric_value), max(case when m.is_nan then 1 else 0 end) = 1, m.ts, m.step
from run_metric m
where not exists (select 1 from run_metric n where n.run_id = m.run_id and n.metric_key = m.metric_key
                  and (n.step > m.step or (n.step = m.step and n.ts > m.ts)))
group by m.run_id, m.metric_key, m.step, m.ts;
