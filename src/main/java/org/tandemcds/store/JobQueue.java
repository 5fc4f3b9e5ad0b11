package org.tandemcds.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * The durable analysis queue in table {@code analysis_job}, shared by every Tandem process on the
 * same database.
 *
 * <p>A job is claimed by exactly one worker: {@link #claim} locks one ready row with {@code SELECT
 * ... FOR UPDATE SKIP LOCKED} (PostgreSQL and H2 2.3 both support it) and moves it to {@code
 * running} under a lease, in one transaction. A lease that expires (its process died) makes the job
 * claimable again; on its last attempt it makes the job {@code failed} with {@link
 * ErrorCode#JOB_LEASE_EXPIRED}. Every time comes from the {@link Clock} given, never from the
 * database, so the processes sharing a queue must keep their clocks in step.
 *
 * <p>Thread-safe. Errors: {@link ErrorCode#STORE_UNAVAILABLE}, {@link ErrorCode#JOB_LEASE_LOST}
 * (the lease is no longer this worker's), {@link ErrorCode#STORE_INVALID_KEY}.
 */
public final class JobQueue {
  private static final String READY =
      " (state = 'queued' AND not_before <= ?) OR (state = 'running' AND lease_expires_at <= ?) ";
  private static final String HELD_BY =
      " id = ? AND state = 'running' AND lease_owner = ? AND" + " attempts = ? ";

  private final Database database;
  private final Clock clock;
  private final RetryPolicy retryPolicy;

  public JobQueue(Database database, Clock clock, RetryPolicy retryPolicy) {
    this.database = database;
    this.clock = clock;
    this.retryPolicy = retryPolicy;
  }

  /**
   * Adds the job for {@code key} unless one with the same key exists (in any state).
   *
   * @return the id of the job with this key, new or not
   */
  public long enqueue(JobKey key) {
    return database.inTransaction("enqueue job", c -> insertOrFind(c, key));
  }

  /**
   * {@link #enqueue(JobKey)} on behalf of {@code requester} (an audit agent such as {@code
   * client/<id>}), recorded with the job in the same transaction; a job asked for again by the same
   * or another requester keeps one row per requester.
   */
  public long enqueue(JobKey key, String requester) {
    return database.inTransaction(
        "enqueue job",
        c -> {
          long id = insertOrFind(c, key);
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO analysis_job_requester (job_id, agent, requested_at)"
                      + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            bind(s, id, requester, clock.instant());
            s.executeUpdate();
          }
          return id;
        });
  }

  /** Whether {@code requester} asked for the job through {@link #enqueue(JobKey, String)}. */
  public boolean requestedBy(long jobId, String requester) {
    return database.inTransaction(
        "read job requester",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT 1 FROM analysis_job_requester WHERE job_id = ? AND agent = ?")) {
            bind(s, jobId, requester);
            try (ResultSet r = s.executeQuery()) {
              return r.next();
            }
          }
        });
  }

  /**
   * Claims the oldest ready job for {@code workerId} for {@code leaseDuration}: a queued job whose
   * {@code not_before} has come, or a running one whose lease has expired.
   */
  public Optional<Job> claim(String workerId, Duration leaseDuration) {
    Keys.text("worker id", workerId, 128);
    database.inTransaction("fail expired jobs", this::failExpiredLastAttempts);
    return database.inTransaction("claim job", c -> claimOne(c, workerId, leaseDuration));
  }

  /**
   * Extends the lease to {@code leaseDuration} from now; {@link ErrorCode#JOB_LEASE_LOST} if lost.
   */
  public Instant heartbeat(Lease lease, Duration leaseDuration) {
    Instant expires = clock.instant().plus(leaseDuration);
    update(lease, "lease_expires_at = ?", expires);
    return expires;
  }

  /** Marks the job done with {@code resultRef}; {@link ErrorCode#JOB_LEASE_LOST} if lost. */
  public void complete(Lease lease, String resultRef) {
    Keys.text("result reference", resultRef, 1024);
    update(
        lease,
        "state = 'done', lease_owner = NULL, lease_expires_at = NULL, result_ref = ?",
        resultRef);
  }

  /**
   * Records a failed attempt: the job is queued again after the policy's backoff, or, on its last
   * attempt, {@code failed} with {@code code}. The detail must carry no patient data.
   *
   * @return the job's new state ({@link JobState#QUEUED} or {@link JobState#FAILED})
   */
  public JobState fail(Lease lease, ErrorCode code, String detail) {
    String shortDetail = detail.length() > 2000 ? detail.substring(0, 2000) : detail;
    if (lease.attempt() >= retryPolicy.maxAttempts()) {
      update(
          lease,
          "state = 'failed', lease_owner = NULL, lease_expires_at = NULL,"
              + " error_code = ?, error_detail = ?",
          code.code(),
          shortDetail);
      return JobState.FAILED;
    }
    Instant notBefore = clock.instant().plus(retryPolicy.backoffAfter(lease.attempt()));
    update(
        lease,
        "state = 'queued', lease_owner = NULL, lease_expires_at = NULL,"
            + " not_before = ?, error_code = ?, error_detail = ?",
        notBefore,
        code.code(),
        shortDetail);
    return JobState.QUEUED;
  }

  /** The number of jobs in each state (every state present, zero if none), for metrics. */
  public Map<JobState, Long> depth() {
    return database.inTransaction("count jobs", JobQueue::countByState);
  }

  /** The state, attempts and error code of one job, for status pages and tests. */
  public Optional<JobStatus> status(long jobId) {
    return database.inTransaction("read job", c -> JobStatus.read(c, jobId));
  }

  private long insertOrFind(Connection c, JobKey key) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO analysis_job (study_instance_uid, instance_set_sha256, model_version,"
                + " sop_instance_uids, note_refs, note_set_sha256, state, attempts, max_attempts,"
                + " not_before, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      bind(
          s,
          key.studyInstanceUid(),
          key.instanceSetSha256(),
          key.modelVersion(),
          key.joined(),
          key.notesJoined(),
          key.noteSetSha256(),
          retryPolicy.maxAttempts(),
          clock.instant(),
          clock.instant(),
          clock.instant());
      s.executeUpdate();
    }
    return findId(c, key);
  }

  private static long findId(Connection c, JobKey key) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id FROM analysis_job WHERE study_instance_uid = ? AND instance_set_sha256 = ?"
                + " AND model_version = ? AND note_set_sha256 = ?")) {
      bind(
          s,
          key.studyInstanceUid(),
          key.instanceSetSha256(),
          key.modelVersion(),
          key.noteSetSha256());
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          throw new CdsException(ErrorCode.STORE_UNAVAILABLE, "job vanished after enqueue");
        }
        return r.getLong(1);
      }
    }
  }

  private int failExpiredLastAttempts(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE analysis_job SET state = 'failed', lease_owner = NULL, lease_expires_at = NULL,"
                + " error_code = ?, error_detail = 'lease expired on the last attempt',"
                + " updated_at = ? WHERE state = 'running' AND lease_expires_at <= ?"
                + " AND attempts >= max_attempts")) {
      Instant now = clock.instant();
      bind(s, ErrorCode.JOB_LEASE_EXPIRED.code(), now, now);
      return s.executeUpdate();
    }
  }

  private Optional<Job> claimOne(Connection c, String workerId, Duration leaseDuration)
      throws SQLException {
    Instant now = clock.instant();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT id, study_instance_uid, sop_instance_uids, model_version, attempts, note_refs"
                + " FROM analysis_job WHERE"
                + READY
                + "ORDER BY not_before, id LIMIT 1"
                + " FOR UPDATE SKIP LOCKED")) {
      bind(s, now, now);
      try (ResultSet r = s.executeQuery()) {
        return r.next()
            ? Optional.of(take(c, r, workerId, now.plus(leaseDuration)))
            : Optional.empty();
      }
    }
  }

  private Job take(Connection c, ResultSet r, String workerId, Instant expires)
      throws SQLException {
    long id = r.getLong(1);
    JobKey key =
        new JobKey(
            r.getString(2),
            JobKey.split(r.getString(3)),
            r.getString(4),
            JobKey.splitNotes(r.getString(6)));
    int attempt = r.getInt(5) + 1;
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE analysis_job SET state = 'running', lease_owner = ?, lease_expires_at = ?,"
                + " attempts = ?, updated_at = ? WHERE id = ? AND attempts = ?")) {
      bind(s, workerId, expires, attempt, clock.instant(), id, attempt - 1);
      if (s.executeUpdate() != 1) {
        throw new CdsException(ErrorCode.STORE_UNAVAILABLE, "job " + id + " changed under lock");
      }
    }
    return new Job(id, key, new Lease(id, workerId, attempt), expires);
  }

  private void update(Lease lease, String assignments, Object... values) {
    int updated =
        database.inTransaction(
            "update job " + lease.jobId(),
            c -> {
              try (PreparedStatement s =
                  c.prepareStatement(
                      "UPDATE analysis_job SET "
                          + assignments
                          + ", updated_at = ? WHERE"
                          + HELD_BY)) {
                Object[] all = new Object[values.length + 4];
                System.arraycopy(values, 0, all, 0, values.length);
                all[values.length] = clock.instant();
                all[values.length + 1] = lease.jobId();
                all[values.length + 2] = lease.workerId();
                all[values.length + 3] = lease.attempt();
                bind(s, all);
                return s.executeUpdate();
              }
            });
    if (updated != 1) {
      throw new CdsException(
          ErrorCode.JOB_LEASE_LOST,
          "job "
              + lease.jobId()
              + " attempt "
              + lease.attempt()
              + " is not held by "
              + lease.workerId());
    }
  }

  private static Map<JobState, Long> countByState(Connection c) throws SQLException {
    Map<JobState, Long> depth = new EnumMap<>(JobState.class);
    for (JobState state : JobState.values()) {
      depth.put(state, 0L);
    }
    try (PreparedStatement s =
            c.prepareStatement("SELECT state, COUNT(*) FROM analysis_job GROUP BY state");
        ResultSet r = s.executeQuery()) {
      while (r.next()) {
        depth.put(JobState.ofColumn(r.getString(1)), r.getLong(2));
      }
    }
    return depth;
  }

  static void bind(PreparedStatement s, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      Object value = values[i];
      s.setObject(
          i + 1, value instanceof Instant t ? OffsetDateTime.ofInstant(t, ZoneOffset.UTC) : value);
    }
  }
}
