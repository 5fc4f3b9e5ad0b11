package org.tandemcds.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.fhir.AnalyzeCall;
import org.tandemcds.fhir.FhirIngest;
import org.tandemcds.fhir.ReceivedResource;
import org.tandemcds.store.AnalysisResults;
import org.tandemcds.store.AnalysisResults.StoredResult;
import org.tandemcds.store.InstanceKey;
import org.tandemcds.store.JobKey;
import org.tandemcds.store.JobQueue;
import org.tandemcds.store.JobState;
import org.tandemcds.store.JobStatus;
import org.tandemcds.store.StudyStore;

/**
 * {@code DiagnosticReport/$analyze}: stores inline notes, checks that the study and the named notes
 * are stored, and queues the analysis in the durable queue (the same job key as any other request
 * for the same study, instance set, model version and notes, so a repeated call returns the same
 * result). Thread-safe.
 */
public final class AnalyzeService {
  private final FhirIngest fhirIngest;
  private final NoteIngest notes;
  private final StudyStore studies;
  private final JobQueue queue;
  private final AnalysisResults results;
  private final Runnable wakeWorkers;
  private final String modelVersion;

  public AnalyzeService(
      FhirIngest fhirIngest,
      NoteIngest notes,
      StudyStore studies,
      JobQueue queue,
      AnalysisResults results,
      Runnable wakeWorkers,
      String modelVersion) {
    this.fhirIngest = fhirIngest;
    this.notes = notes;
    this.studies = studies;
    this.queue = queue;
    this.results = results;
    this.wakeWorkers = wakeWorkers;
    this.modelVersion = modelVersion;
  }

  /**
   * Queues the analysis of {@code call} for {@code requester} (the caller's audit agent, recorded
   * with the job: {@link #status(long, Optional)}); returns the job id.
   *
   * @throws CdsException {@link ErrorCode#STUDY_NOT_FOUND}, {@link ErrorCode#NOTE_NOT_FOUND}, note
   *     errors of inline notes
   */
  public long submit(AnalyzeCall call, String requester) {
    List<String> refs = new ArrayList<>(call.noteReferences());
    for (byte[] inline : call.inlineNotes()) {
      ReceivedResource note = fhirIngest.documentReference(inline, notes::resource);
      if (note.failure().isPresent()) {
        throw note.failure().get();
      }
      notes.store(note);
      refs.add(note.reference());
    }
    for (String ref : refs) {
      if (notes.note(ref).isEmpty()) {
        throw new CdsException(ErrorCode.NOTE_NOT_FOUND, ref + " is not stored");
      }
    }
    List<InstanceKey> instances = studies.instances(call.studyInstanceUid());
    if (instances.isEmpty()) {
      throw new CdsException(
          ErrorCode.STUDY_NOT_FOUND,
          "study " + call.studyInstanceUid() + " has no stored instance");
    }
    long id =
        queue.enqueue(
            new JobKey(
                call.studyInstanceUid(),
                instances.stream().map(InstanceKey::sopInstanceUid).toList(),
                modelVersion,
                refs),
            requester);
    wakeWorkers.run();
    return id;
  }

  /** The pseudonymous key of the patient of a stored study, if any instance of it is stored. */
  public Optional<String> patientKey(String studyInstanceUid) {
    return studies.instances(studyInstanceUid).stream().findFirst().map(InstanceKey::patientKey);
  }

  /** The job's status; {@link ErrorCode#JOB_NOT_FOUND} if there is no such job. */
  public JobStatus status(long jobId) {
    return queue
        .status(jobId)
        .orElseThrow(() -> new CdsException(ErrorCode.JOB_NOT_FOUND, "job " + jobId));
  }

  /**
   * The job's status for {@code requester} when present: {@link ErrorCode#JOB_NOT_FOUND}, as for a
   * job that does not exist, unless that requester asked for it, so that job ids cannot be probed
   * for other callers' results. With {@code requester} empty, as {@link #status(long)}.
   */
  public JobStatus status(long jobId, Optional<String> requester) {
    if (requester.isPresent() && !queue.requestedBy(jobId, requester.get())) {
      throw new CdsException(ErrorCode.JOB_NOT_FOUND, "job " + jobId);
    }
    return status(jobId);
  }

  /** The result of a finished job, if it has one. */
  public Optional<StoredResult> result(long jobId) {
    return results.forJob(jobId);
  }

  /** Waits up to {@code timeout} for the job to finish (done or failed); returns its status. */
  public JobStatus await(long jobId, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    JobStatus status = status(jobId);
    while (!finished(status) && Instant.now().isBefore(deadline)) {
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CdsException(ErrorCode.SERVICE_UNAVAILABLE, "interrupted while waiting", e);
      }
      status = status(jobId);
    }
    return status;
  }

  private static boolean finished(JobStatus status) {
    return status.state() == JobState.DONE || status.state() == JobState.FAILED;
  }
}
