-- An archive's content (SHA-256) is unique within its dataset, no longer across all datasets: a generated set
-- written by the platform may hold exactly the tiles of another dataset (two checkpoints that map colours
-- identically). Uploads and server paths are still refused when any dataset holds the same content (checked by
-- the catalog, with the other dataset's name in the message); the plain index keeps that lookup fast.
drop index ux_archive_sha256;
create unique index ux_archive_dataset_sha256 on archive (dataset_id, sha256);
create index ix_archive_sha256 on archive (sha256);
