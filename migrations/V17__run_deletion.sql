-- Deleting a tracked run (page or MLflow's runs/delete) is soft, as for datasets and checkpoints: lifecycle_stage
-- becomes 'deleted' (MLflow's own marker) and who/when are kept for the admins' trash; restoring clears them.
alter table tracked_run add column deleted_at timestamp(6) with time zone;
alter table tracked_run add column deleted_by varchar(64);
