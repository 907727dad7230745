-- Soft delete (issue 10): a deleted dataset or checkpoint keeps its row and files; it is hidden from lists,
-- pickers and counts until an admin restores it. Null deleted_at: not deleted.
alter table dataset add column deleted_at timestamp(6) with time zone;
alter table dataset add column deleted_by varchar(64);
alter table checkpoint add column deleted_at timestamp(6) with time zone;
alter table checkpoint add column deleted_by varchar(64);
create index ix_dataset_deleted on dataset (deleted_at);
create index ix_checkpoint_deleted on checkpoint (deleted_at);
