-- Who asked for each analysis job through $analyze (the audit agent, e.g. client/<id>). Jobs are
-- shared by key (the same study, instances, model and notes give the same job), so a job can have
-- several requesters; with auth=bearer only they may read the job at its status URL.
CREATE TABLE analysis_job_requester (
  job_id       BIGINT       NOT NULL,
  agent        VARCHAR(200) NOT NULL,
  requested_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (job_id, agent)
);
