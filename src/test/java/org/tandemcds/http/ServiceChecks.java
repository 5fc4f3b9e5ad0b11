package org.tandemcds.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** Reads of the service's tables for the process tests, straight over JDBC. */
final class ServiceChecks {
  private ServiceChecks() {}

  static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  /** StudyInstanceUID → number of rows in {@code table} for it. */
  static Map<String, Long> perStudy(Connection c, String table) throws SQLException {
    Map<String, Long> counts = new HashMap<>();
    try (Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT study_instance_uid, COUNT(*) FROM "
                    + table
                    + " GROUP BY study_instance_uid")) {
      while (r.next()) {
        counts.put(r.getString(1), r.getLong(2));
      }
    }
    return counts;
  }

  /** Asserts that each of {@code studies} has exactly one job, done, and exactly one result. */
  static void eachAnalysedExactlyOnce(Connection c, java.util.Collection<String> studies)
      throws SQLException {
    Map<String, Long> jobs = perStudy(c, "analysis_job");
    Map<String, Long> results = perStudy(c, "analysis_result");
    assertThat(jobs.keySet()).containsExactlyInAnyOrderElementsOf(studies);
    assertThat(results.keySet()).containsExactlyInAnyOrderElementsOf(studies);
    assertThat(jobs.values()).allSatisfy(n -> assertThat(n).isEqualTo(1L));
    assertThat(results.values()).allSatisfy(n -> assertThat(n).isEqualTo(1L));
    assertThat(count(c, "SELECT COUNT(*) FROM analysis_job WHERE state <> 'done'")).isZero();
    assertThat(count(c, "SELECT COUNT(*) FROM analysis_result WHERE mode <> 'image+note'"))
        .isZero();
  }

  /** The value of one sample in Prometheus text, or -1 when absent. */
  static double metric(String scrape, String sample) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(sample + " ")) {
        return Double.parseDouble(line.substring(sample.length() + 1).strip());
      }
    }
    return -1;
  }
}
