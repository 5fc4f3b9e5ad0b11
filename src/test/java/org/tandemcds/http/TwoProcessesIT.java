package org.tandemcds.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Tandem server processes share one PostgreSQL database (own schema) and one data folder; 50
 * studies arrive, half through each, and each study is analysed exactly once, the work shared
 * between the processes.
 */
class TwoProcessesIT {
  private static final int STUDIES = 50;

  @TempDir Path dir;

  @Test
  @Timeout(300)
  void two_processes_on_one_postgresql_analyse_fifty_studies_each_exactly_once() throws Exception {
    List<Path> studies = TinyStudies.write(dir.resolve("samples"), STUDIES, 5050);
    List<String> uids = new ArrayList<>();
    for (Path study : studies) {
      uids.add(ServeIT.studyUid(TinyStudies.image(study)));
    }
    Path data = dir.resolve("data");
    try (ServerDatabase.Instance db = ServerDatabase.POSTGRESQL.create(data)) {
      String[] settings = {
        "data-dir=" + data,
        "jdbc-url=" + db.url(),
        "db-user=postgres",
        "quiet-time=300ms",
        "workers=2",
        "analyse-ms=20"
      };
      try (ServerProcess a =
              ServerProcess.start(dir.resolve("a.log"), Map.of(), with(settings, "process-id=a"));
          ServerProcess b =
              ServerProcess.start(dir.resolve("b.log"), Map.of(), with(settings, "process-id=b"))) {
        List<Client> clients = List.of(new Client(a.port()), new Client(b.port()));
        for (int half = 0; half < 2; half++) {
          List<Path> images = new ArrayList<>();
          for (int i = half; i < STUDIES; i += 2) {
            assertThat(
                    clients
                        .get(half)
                        .fhir("/fhir", TinyStudies.transaction(studies.get(i)))
                        .statusCode())
                .isEqualTo(200);
            images.add(TinyStudies.image(studies.get(i)));
          }
          assertThat(clients.get(half).stow(images).statusCode()).isEqualTo(200);
        }
        try (Connection c = db.connect()) {
          awaitResults(c);
          ServiceChecks.eachAnalysedExactlyOnce(c, uids);
          assertThat(processes(c)).containsExactlyInAnyOrder("a", "b");
        }
      }
    }
  }

  private static String[] with(String[] settings, String more) {
    String[] all = java.util.Arrays.copyOf(settings, settings.length + 1);
    all[settings.length] = more;
    return all;
  }

  private static void awaitResults(Connection c) throws Exception {
    Instant deadline = Instant.now().plusSeconds(180);
    while (ServiceChecks.count(c, "SELECT COUNT(*) FROM analysis_result") < STUDIES
        && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
    Thread.sleep(1000); // anything analysed twice would show up now
  }

  /** The process ids recorded in the results by the analyzer. */
  private static Set<String> processes(Connection c) throws Exception {
    Set<String> ids = new HashSet<>();
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT bundle_json FROM analysis_result")) {
      while (r.next()) {
        String json = r.getString(1);
        int at = json.indexOf("\"urn:tandem:test:process\",\"value\":\"") + 35;
        ids.add(json.substring(at, json.indexOf('"', at)));
      }
    }
    return ids;
  }
}
