package org.tandemcds.store;

import java.util.Locale;

/** The life of an outbox item: queued, sending (leased), sent, or failed (given up, file kept). */
public enum OutboxState {
  QUEUED,
  SENDING,
  SENT,
  FAILED;

  String column() {
    return name().toLowerCase(Locale.ROOT);
  }

  static OutboxState ofColumn(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
