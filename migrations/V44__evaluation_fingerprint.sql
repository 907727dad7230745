-- Issue 16: every evaluation's protocol fingerprint, the SHA-256 of a canonical text of what makes two evaluations
-- comparable (tile rule and counts, hashes of the selected real and generated tile lists, extractor SHA-256 and
-- preprocessing, crops, KID settings, seeds). fingerprint_text keeps that text, so pages can say which fields differ.
-- Rows made before this migration are filled in at startup (evaluation.Fingerprints) where computable.
alter table evaluation add column fingerprint varchar(64);
alter table evaluation add column fingerprint_text varchar(8000);
create index ix_evaluation_fingerprint on evaluation (fingerprint);
