-- Issue 16: a generated set records the sampling seed of its generation when it has one (null: no seed, e.g. the
-- deterministic CPU baselines). Several sets of one checkpoint on one source may exist when their seeds differ.
-- Unique on (checkpoint, source, seed) with a null seed at most once: a unique index treats nulls as distinct on both
-- H2 and PostgreSQL (and H2 has no partial indexes), so the index is on a non-null key ('-' for no seed).
alter table generated_set add column sampling_seed bigint;
alter table generated_set add column sampling_seed_key varchar(24) default '-' not null;
drop index ux_generated_set_pair;
create unique index ux_generated_set_pair_seed on generated_set (checkpoint_id, source_dataset_id, sampling_seed_key);
