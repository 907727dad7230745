-- Issue 21 item 3: an evaluation's feature extraction can run as a job on a node agent. The job computing its
-- features (null: the server computes them) and where they were computed ("server CPU", "node gpu-01 (CUDA)").
alter table evaluation add column features_job_id bigint;
alter table evaluation add column features_where varchar(200);
