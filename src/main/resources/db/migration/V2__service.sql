-- tandem serve (issue 6, part A): explicit notes on jobs, analysis results, note lookup keys,
-- other FHIR resources received, and the quiet-study trigger. One dialect for H2 and PostgreSQL.

-- A job names the notes to use ($analyze with a note), or none: the patient's stored notes from the
-- configured window. The idempotency key grows by the sha256 of the named notes ('' for none).
ALTER TABLE analysis_job ADD COLUMN note_refs TEXT NOT NULL DEFAULT '';
ALTER TABLE analysis_job ADD COLUMN note_set_sha256 VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE analysis_job DROP CONSTRAINT analysis_job_key;
ALTER TABLE analysis_job ADD CONSTRAINT analysis_job_key_notes
  UNIQUE (study_instance_uid, instance_set_sha256, model_version, note_set_sha256);

-- One row per finished analysis; at most one per job, however often the job was attempted.
CREATE TABLE analysis_result (
  run_id             VARCHAR(64)  NOT NULL PRIMARY KEY,
  job_id             BIGINT       NOT NULL,
  study_instance_uid VARCHAR(64),
  mode               VARCHAR(16)  NOT NULL,
  model_name         VARCHAR(128) NOT NULL,
  model_version      VARCHAR(128) NOT NULL,
  bundle_json        TEXT         NOT NULL,
  started_at         TIMESTAMP WITH TIME ZONE NOT NULL,
  finished_at        TIMESTAMP WITH TIME ZONE NOT NULL,
  CONSTRAINT analysis_result_job UNIQUE (job_id)
);
CREATE INDEX analysis_result_study ON analysis_result (study_instance_uid);

-- Pseudonymous lookup keys of a note's patient identifiers (PatientKey of the value alone), so a
-- study's notes are found by its PatientID whatever namespace each side writes.
CREATE TABLE note_patient (
  resource_type VARCHAR(64)  NOT NULL,
  resource_id   VARCHAR(64)  NOT NULL,
  lookup_key    VARCHAR(128) NOT NULL,
  PRIMARY KEY (resource_type, resource_id, lookup_key)
);
CREATE INDEX note_patient_key ON note_patient (lookup_key);

-- FHIR resources received that carry no note (Patient, ServiceRequest, ImagingStudy...).
CREATE TABLE fhir_resource (
  resource_type VARCHAR(64) NOT NULL,
  resource_id   VARCHAR(64) NOT NULL,
  size_bytes    BIGINT      NOT NULL,
  sha256        CHAR(64)    NOT NULL,
  content       BYTEA       NOT NULL,
  received_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (resource_type, resource_id)
);

-- The instance count at which a quiet study was last queued, so a quiet study is queued once per
-- instance set (the job key makes a repeat harmless; this keeps the trigger from repeating it).
CREATE TABLE study_trigger (
  study_instance_uid VARCHAR(64) NOT NULL PRIMARY KEY,
  instance_count     INTEGER     NOT NULL,
  triggered_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
