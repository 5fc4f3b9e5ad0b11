package org.tandemcds.store;

import java.util.Locale;

/** The life of a job: queued (maybe waiting for {@code not_before}), running, done or failed. */
public enum JobState {
  QUEUED,
  RUNNING,
  DONE,
  FAILED;

  String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  static JobState ofColumn(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
