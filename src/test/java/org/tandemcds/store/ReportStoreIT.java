package org.tandemcds.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tandemcds.domain.AnalysisRun;
import org.tandemcds.domain.AuditRecord;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.domain.FhirResource;
import org.tandemcds.fhir.Fhir;
import org.tandemcds.fhir.PreparedReport;
import org.tandemcds.fhir.ReportResources;
import org.tandemcds.fhir.TestReportBundles;

/** ReportStore, Accounts, AuditStore and JwtReplayStore on embedded H2 and on PostgreSQL. */
class ReportStoreIT {
  private static final Fhir FHIR = new Fhir();
  @TempDir Path dir;

  private static Suggestion suggestion(PreparedReport p, AnalysisRun run, Instant at) {
    return new Suggestion(
        p.reportId(),
        run.runId(),
        run.studyInstanceUid(),
        p.status(),
        1,
        "tandem-hybrid",
        "1.2.0",
        "{}",
        at,
        at);
  }

  private static PreparedReport prepare(AnalysisRun run, Instant at) {
    return new ReportResources(FHIR)
        .prepare(run.report().bundleJson(), run.report().diagnosticReportUuid(), at);
  }

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void a_run_is_stored_once_with_server_ids_and_found_by_patient_status_and_time(
      TestDatabase target) {
    try (TestDatabase.Instance instance = target.create(dir)) {
      ReportStore store = new ReportStore(instance.open(4), Clock.systemUTC());
      Instant t0 = Instant.parse("2026-11-01T10:00:00Z");
      AnalysisRun run =
          TestReportBundles.run(
              "p1", "1.2.3.4", TestReportBundles.prediction(0.9, 0.1, 0.7, 0.2, 0.3));
      PreparedReport p = prepare(run, t0);

      assertThat(store.save(suggestion(p, run, t0), p.resources(), p.patientKeys())).isTrue();
      assertThat(store.save(suggestion(p, run, t0), p.resources(), p.patientKeys())).isFalse();

      List<FhirResource> stored = store.resourcesOf(p.reportId());
      assertThat(stored)
          .extracting(FhirResource::type)
          .containsExactlyInAnyOrder(
              "DiagnosticReport",
              "Observation",
              "Observation",
              "Observation",
              "Observation",
              "Observation",
              "Media",
              "Device",
              "Provenance");
      assertThat(stored).allSatisfy(r -> assertThat(r.json()).doesNotContain("urn:uuid:"));
      String report = store.read("DiagnosticReport", p.reportId()).orElseThrow().json();
      assertThat(report)
          .contains(
              "\"status\":\"preliminary\"",
              "\"versionId\":\"1\"",
              "AIAST",
              "Observation/",
              "Media/");
      assertThat(p.patientKeys()).hasSize(2);

      AnalysisRun other =
          TestReportBundles.run(
              "p2", "1.2.3.5", TestReportBundles.prediction(0.1, 0.1, 0.1, 0.1, 0.1));
      PreparedReport q = prepare(other, t0.plusSeconds(3600));
      store.save(suggestion(q, other, t0.plusSeconds(3600)), q.resources(), q.patientKeys());

      assertThat(store.search(p.patientKeys(), Set.of(), Optional.empty(), Optional.empty(), 10))
          .extracting(Suggestion::reportId)
          .containsExactly(p.reportId());
      assertThat(
              store.search(Set.of(), Set.of("preliminary"), Optional.empty(), Optional.empty(), 10))
          .extracting(Suggestion::reportId)
          .containsExactly(q.reportId(), p.reportId());
      assertThat(
              store.search(
                  Set.of(), Set.of(), Optional.of(t0.plusSeconds(60)), Optional.empty(), 10))
          .extracting(Suggestion::reportId)
          .containsExactly(q.reportId());
      assertThat(
              store.search(
                  Set.of(), Set.of(), Optional.empty(), Optional.of(t0.plusSeconds(60)), 10))
          .extracting(Suggestion::reportId)
          .containsExactly(p.reportId());
      assertThat(store.search(Set.of(), Set.of("final"), Optional.empty(), Optional.empty(), 10))
          .isEmpty();
      assertThat(store.findByRun(run.runId()).orElseThrow().reportId()).isEqualTo(p.reportId());
    }
  }

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void a_review_keeps_every_version_and_only_one_of_two_concurrent_actions_wins(TestDatabase target)
      throws Exception {
    try (TestDatabase.Instance instance = target.create(dir)) {
      ReportStore store = new ReportStore(instance.open(4), Clock.systemUTC());
      Instant t0 = Instant.now();
      AnalysisRun run =
          TestReportBundles.run(
              "p1", "1.2.3.4", TestReportBundles.prediction(0.9, 0.1, 0.7, 0.2, 0.3));
      PreparedReport p = prepare(run, t0);
      store.save(suggestion(p, run, t0), p.resources(), p.patientKeys());
      FhirResource v1 = store.read("DiagnosticReport", p.reportId()).orElseThrow();
      FhirResource v2 =
          new FhirResource(
              "DiagnosticReport", p.reportId(), 2, v1.json().replace("preliminary", "final"));

      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<Callable<Suggestion>> both = new ArrayList<>();
      for (String actor : List.of("clinician/a", "clinician/b")) {
        both.add(
            () ->
                store.review(
                    p.reportId(),
                    Set.of("preliminary"),
                    1,
                    "final",
                    List.of(v2),
                    new Feedback(
                        p.reportId(),
                        "review",
                        "accept",
                        actor,
                        Optional.empty(),
                        Optional.empty(),
                        Instant.now())));
      }
      List<Future<Suggestion>> results = pool.invokeAll(both);
      pool.shutdown();
      int won = 0;
      int refused = 0;
      for (Future<Suggestion> f : results) {
        try {
          assertThat(f.get().status()).isEqualTo("final");
          won++;
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable cause = e.getCause();
          // PostgreSQL may refuse the loser's duplicate version insert instead of the version check
          assertThat(cause).isInstanceOf(CdsException.class);
          refused++;
        }
      }
      assertThat(won).isEqualTo(1);
      assertThat(refused).isEqualTo(1);
      assertThat(store.history("DiagnosticReport", p.reportId()))
          .extracting(FhirResource::versionId)
          .containsExactly(1, 2);
      assertThat(store.read("DiagnosticReport", p.reportId()).orElseThrow().json())
          .contains("\"final\"");
      assertThat(store.feedback(p.reportId())).hasSize(1);

      assertThatThrownBy(
              () ->
                  store.review(
                      p.reportId(),
                      Set.of("preliminary"),
                      2,
                      "cancelled",
                      List.of(),
                      new Feedback(
                          p.reportId(),
                          "review",
                          "reject",
                          "clinician/a",
                          Optional.of("no"),
                          Optional.empty(),
                          Instant.now())))
          .isInstanceOfSatisfying(
              CdsException.class,
              e -> assertThat(e.code()).isEqualTo(ErrorCode.REVIEW_NOT_ALLOWED));
      assertThat(store.get(p.reportId()).status()).isEqualTo("final");
      assertThat(store.feedback(p.reportId())).hasSize(1);
    }
  }

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void pending_studies_are_queued_or_running_jobs_of_the_patients_instances(TestDatabase target) {
    try (TestDatabase.Instance instance = target.create(dir)) {
      Database db = instance.open(2);
      db.inTransaction(
          "seed",
          c -> {
            try (var s = c.createStatement()) {
              s.executeUpdate(
                  "INSERT INTO dicom_instance (sop_instance_uid, study_instance_uid,"
                      + " series_instance_uid, patient_key, size_bytes, sha256, received_at) VALUES ('1.2.9.1', '1.2.9', '1.2.9.0', 'pt-aaa', 1, '"
                      + "0".repeat(64)
                      + "', CURRENT_TIMESTAMP)");
              s.executeUpdate(
                  "INSERT INTO dicom_instance (sop_instance_uid, study_instance_uid,"
                      + " series_instance_uid, patient_key, size_bytes, sha256, received_at) VALUES ('1.2.8.1', '1.2.8', '1.2.8.0', 'pt-bbb', 1, '"
                      + "0".repeat(64)
                      + "', CURRENT_TIMESTAMP)");
              s.executeUpdate(
                  "INSERT INTO analysis_job (study_instance_uid, instance_set_sha256, model_version, sop_instance_uids, state, attempts, max_attempts, not_before, created_at, updated_at)"
                      + " VALUES ('1.2.9', '"
                      + "1".repeat(64)
                      + "', 'm', '1.2.9.1', 'queued', 0, 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
              s.executeUpdate(
                  "INSERT INTO analysis_job (study_instance_uid, instance_set_sha256, model_version, sop_instance_uids, state, attempts, max_attempts, not_before, created_at, updated_at)"
                      + " VALUES ('1.2.8', '"
                      + "1".repeat(64)
                      + "', 'm', '1.2.8.1', 'done', 1, 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            }
            return null;
          });
      ReportStore store = new ReportStore(db, Clock.systemUTC());
      assertThat(store.pendingStudies(Set.of("pt-aaa", "pt-zzz"))).containsExactly("1.2.9");
      assertThat(store.pendingStudies(Set.of("pt-bbb"))).isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void accounts_tokens_sessions_audit_and_jti_replay(TestDatabase target) {
    try (TestDatabase.Instance instance = target.create(dir)) {
      Database db = instance.open(2);
      Instant now = Instant.now();
      Accounts accounts = new Accounts(db);
      accounts.addClinician(
          new Accounts.Clinician("alice", "Dr Alice", "hash", Set.of("clinician", "admin")), now);
      assertThatThrownBy(
              () ->
                  accounts.addClinician(
                      new Accounts.Clinician("alice", "x", "y", Set.of("clinician")), now))
          .isInstanceOfSatisfying(
              CdsException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ACCOUNT_EXISTS));
      assertThat(accounts.clinician("alice").orElseThrow().roles())
          .containsExactlyInAnyOrder("clinician", "admin");

      accounts.addToken(
          "a".repeat(64),
          new Accounts.SystemClient("ehr", Set.of("system/*.read"), now.plusSeconds(60)),
          now);
      assertThat(accounts.client("a".repeat(64), now).orElseThrow().scopes())
          .containsExactly("system/*.read");
      assertThat(accounts.client("a".repeat(64), now.plusSeconds(61))).isEmpty();
      assertThat(accounts.revokeTokens("ehr")).isEqualTo(1);
      assertThat(accounts.client("a".repeat(64), now)).isEmpty();

      accounts.openSession("b".repeat(64), "alice", "csrf", now.plusSeconds(60), now);
      assertThat(accounts.session("b".repeat(64), now).orElseThrow().csrfToken()).isEqualTo("csrf");
      accounts.closeSession("b".repeat(64));
      assertThat(accounts.session("b".repeat(64), now)).isEmpty();

      AuditStore audit = new AuditStore(db);
      audit.record(
          new AuditRecord(
              now,
              "read",
              "R",
              "clinician/alice",
              Optional.of("pt-1"),
              Optional.of("DiagnosticReport/x"),
              "0",
              "read"));
      audit.record(
          new AuditRecord(
              now.plusSeconds(1),
              "login",
              "E",
              "clinician/alice",
              Optional.empty(),
              Optional.empty(),
              "0",
              "login"));
      assertThat(audit.query(Set.of("pt-1"), Optional.empty(), 10))
          .extracting(AuditRecord::type)
          .containsExactly("read");
      assertThat(audit.query(Set.of(), Optional.of(now.plusMillis(500)), 10))
          .extracting(AuditRecord::type)
          .containsExactly("login");

      JwtReplayStore replays = new JwtReplayStore(db, Clock.systemUTC());
      assertThat(replays.firstUse("https://ehr", "j1", now.plusSeconds(60))).isTrue();
      assertThat(replays.firstUse("https://ehr", "j1", now.plusSeconds(60))).isFalse();
      assertThat(replays.firstUse("https://other", "j1", now.plusSeconds(60))).isTrue();
    }
  }
}
