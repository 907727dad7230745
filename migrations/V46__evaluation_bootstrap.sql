-- Issue 16 (honest uncertainty): the patient-level bootstrap of each metric of an evaluation's compared set:
-- B, the bootstrap seed, the 95 % percentile interval and the B resampled values in resample order (comma-separated,
-- Double.toString), kept so that two compared sets of the same evaluation give their paired difference (the
-- same resamples).
create table evaluation_bootstrap (
    subject_id bigint           not null references evaluation_subject (id),
    metric     varchar(32)      not null,
    resamples  integer          not null,
    seed       bigint           not null,
    ci_low     double precision not null,
    ci_high    double precision not null,
    vals       text             not null,
    primary key (subject_id, metric)
);
