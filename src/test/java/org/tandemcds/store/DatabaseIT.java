package org.tandemcds.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DatabaseIT {
  @TempDir Path dir;

  @ParameterizedTest
  @MethodSource("org.tandemcds.store.TestDatabase#both")
  void migrations_create_every_table_and_reopening_applies_nothing_twice(TestDatabase target)
      throws SQLException {
    try (TestDatabase.Instance instance = target.create(dir)) {
      instance.open(2);
      Database again = instance.open(2);
      try (Connection c = again.dataSource().getConnection()) {
        assertThat(tables(c))
            .contains("dicom_instance", "fhir_note", "store_conflict", "analysis_job")
            .contains(
                "suggestion",
                "report_resource",
                "audit_event",
                "jwt_replay",
                "analysis_result",
                "note_patient",
                "fhir_resource",
                "study_trigger",
                "analysis_job_requester");
        assertThat(appliedVersions(c))
            .contains("1", "2", "3", "4", "5", "6", "7")
            .doesNotHaveDuplicates();
      }
    }
  }

  private static List<String> tables(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet r =
        c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
      while (r.next()) {
        names.add(r.getString("TABLE_NAME"));
      }
    }
    return names;
  }

  private static List<String> appliedVersions(Connection c) throws SQLException {
    List<String> versions = new ArrayList<>();
    try (ResultSet r =
        c.createStatement()
            .executeQuery(
                "SELECT version FROM \"flyway_schema_history\" WHERE success AND version IS NOT NULL ORDER BY installed_rank")) {
      while (r.next()) {
        versions.add(r.getString(1));
      }
    }
    return versions;
  }
}
