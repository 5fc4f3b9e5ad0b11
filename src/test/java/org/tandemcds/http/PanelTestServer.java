package org.tandemcds.http;

import io.javalin.Javalin;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.tandemcds.dicom.DicomImageReader;
import org.tandemcds.dicom.DicomLimits;
import org.tandemcds.fhir.Fhir;
import org.tandemcds.review.PanelCases;
import org.tandemcds.review.ReviewServices;
import org.tandemcds.security.CdsHooksTrust;
import org.tandemcds.security.Passwords;
import org.tandemcds.store.Accounts;
import org.tandemcds.store.CaseViews;
import org.tandemcds.store.Database;
import org.tandemcds.store.InstanceKey;
import org.tandemcds.store.StudyStore;

/**
 * TEST HARNESS standing in for {@code tandem serve} (not in this branch yet): a real Javalin on an
 * ephemeral loopback port with the review API ({@link ReviewHttp}) and the panel ({@link
 * PanelRoutes}) over a real embedded H2 store, filled through the real store API: DICOM files
 * stored in the {@link StudyStore}, runs stored by {@code Suggestions.record} and {@link
 * PanelCases#record}. Only the analysis itself is a fixture ({@link PanelCasesFixture}). The lead
 * switches the browser test to the real serve and pipeline at merge.
 */
final class PanelTestServer implements AutoCloseable {
  static final String PASSWORD = "correct horse battery staple";

  final Database database;
  final ReviewServices services;
  final PanelCases cases;
  final StudyStore studies;
  final Javalin server;
  final String baseUrl;
  private final Path dataDir;
  private final AtomicInteger next = new AtomicInteger();

  PanelTestServer(Path dataDir) {
    this.dataDir = dataDir;
    Clock clock = Clock.systemUTC();
    database = Database.open(Database.embeddedUrl(dataDir), "sa", "", 8);
    services =
        ReviewServices.create(
            database,
            new Fhir(),
            new CdsHooksTrust(Map.of(), Duration.ofSeconds(30)),
            ReviewServices.DEFAULT_CRITICAL,
            Duration.ofHours(8),
            clock);
    studies = new StudyStore(database, dataDir, clock, 200L << 20);
    cases =
        new PanelCases(
            new CaseViews(database, clock), studies, new DicomImageReader(DicomLimits.defaults()));
    String[] base = new String[1];
    server =
        Javalin.create(
                config -> {
                  ReviewHttp.register(config.routes, services, () -> base[0], false, clock);
                  PanelRoutes.register(config.routes, services, cases);
                })
            .start("127.0.0.1", 0);
    base[0] = "http://127.0.0.1:" + server.port();
    baseUrl = base[0];
  }

  /** Adds a clinician account with these roles. */
  void addClinician(String username, String displayName, Set<String> roles) {
    new Accounts(database)
        .addClinician(
            new Accounts.Clinician(
                username, displayName, Passwords.hash(PASSWORD.toCharArray()), roles),
            java.time.Instant.now());
  }

  /**
   * Analyses one more synthetic case: its DICOM file goes into the study store, its run into the
   * report store and the panel's case views.
   *
   * @return the case and its DiagnosticReport id
   */
  Stored add(int rows, int columns, double... probabilities) throws IOException {
    int index = next.incrementAndGet();
    Path dir = dataDir.resolve("incoming");
    java.nio.file.Files.createDirectories(dir);
    PanelCasesFixture c = PanelCasesFixture.create(dir, index, rows, columns, probabilities);
    studies.store(
        new ByteArrayInputStream(c.dicomBytes()),
        new InstanceKey(
            c.studyInstanceUid(), c.seriesInstanceUid(), c.sopInstanceUid(), "pk-" + index));
    String reportId = services.suggestions().record(c.run());
    cases.record(reportId, c.run(), Optional.of(c.study()), List.of(c.note()));
    return new Stored(reportId, c);
  }

  /** Several cases at once. */
  List<Stored> addAll(int count, int rows, int columns) throws IOException {
    List<Stored> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(add(rows, columns, 0.2 + 0.1 * (i % 3), 0.81, i % 2 == 0 ? 0.62 : 0.1, 0.05, 0.3));
    }
    return out;
  }

  record Stored(String reportId, PanelCasesFixture fixture) {}

  @Override
  public void close() {
    server.stop();
    database.close();
  }
}
