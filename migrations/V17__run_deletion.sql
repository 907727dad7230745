-- Deleting a tracked run or an experiment (pages or MLflow's runs/delete, experiments/delete) is soft, as for
-- datasets and checkpoints: lifecycle_stage becomes 'deleted' (MLflow's own marker) and who/when are kept for the
-- admins' trash; restoring clears them. The runs an experiment's deletion took with it carry the experiment's
-- deleted_at, so restoring the experiment brings back exactly those.
alter table tracked_run add column deleted_at timestamp(6) with time zone;
alter table tracked_run add column deleted_by varchar(64);
alter table experiment add column deleted_at timestamp(6) with time zone;
alter table experiment add column deleted_by varchar(64);
