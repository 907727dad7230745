-- Issue 16: real tiles and generated sets are different kinds of data. A dataset is REAL (tiles of real slides) or
-- GENERATED (a checkpoint applied to a source dataset); a generated one records its checkpoint and source by value
-- (the checkpoints module owns those rows). Backfill: every dataset that a generated_set row points at is GENERATED.
alter table dataset add column kind varchar(12) default 'REAL' not null;
alter table dataset add column generated_checkpoint_id bigint;
alter table dataset add column generated_source_dataset_id bigint;
update dataset set kind = 'GENERATED',
    generated_checkpoint_id = (select g.checkpoint_id from generated_set g where g.dataset_id = dataset.id),
    generated_source_dataset_id = (select g.source_dataset_id from generated_set g where g.dataset_id = dataset.id)
  where id in (select dataset_id from generated_set);
create index ix_dataset_kind on dataset (kind);
