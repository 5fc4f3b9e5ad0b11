-- The review panel's view of each suggestion (issue 8): the analysed image instance, the case
-- header the worklist shows, and the explanation with the note text its spans index, as JSON.
-- One dialect for H2 (MODE=PostgreSQL) and PostgreSQL: see docs/decisions/0006-store-and-queue.md.
CREATE TABLE case_view (
  report_id         VARCHAR(64)  NOT NULL PRIMARY KEY,
  sop_instance_uid  VARCHAR(64),
  frame_number      INTEGER      NOT NULL,
  patient_label     VARCHAR(256) NOT NULL,
  study_date        VARCHAR(16)  NOT NULL,
  study_description VARCHAR(256) NOT NULL,
  modality          VARCHAR(16)  NOT NULL,
  document          TEXT         NOT NULL,
  created_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
