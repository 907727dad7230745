-- Issue 15: a per-attempt job credential (only its SHA-256 is stored) and node deregistration.
alter table job_attempt add column credential_hash varchar(64);
create unique index job_attempt_credential on job_attempt (credential_hash);
alter table node add column deregistered_at timestamp(6) with time zone;
