-- Tandem's own result objects (Secondary Capture, SR) that a PACS sends back, e.g. when it forwards
-- the whole study again after the results were stored. They are kept and accounted for like any
-- received instance, but never count towards a study's instance set: the quiet-study trigger does
-- not re-analyse because of them and the pipeline never reads them as images (ADR 0014).
ALTER TABLE dicom_instance ADD COLUMN tandem_result BOOLEAN DEFAULT FALSE NOT NULL;
-- A received instance is looked up in the outbox by SOPInstanceUID alone.
CREATE INDEX outbox_item_sop ON outbox_item (sop_instance_uid);
-- Where a run's notes came from (named, stored, fetched from the EHR) or why it ran image-only
-- (e.g. the EHR unreachable after its retries).
ALTER TABLE analysis_result ADD COLUMN notes_source VARCHAR(500);
