package org.tandemcds.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.store.StoreResult.Outcome;

/**
 * FHIR resources carrying clinical notes (DocumentReference, DiagnosticReport...), stored as their
 * received bytes in {@code fhir_note}, keyed by resource type and id, with the patient key and
 * date.
 *
 * <p>Idempotent like {@link StudyStore}: the same bytes again are a {@link Outcome#DUPLICATE};
 * other bytes under the same key are a {@link Outcome#CONFLICT}, recorded and not applied.
 * Thread-safe. Errors: {@link ErrorCode#STORE_INVALID_KEY}, {@link ErrorCode#NOTE_TOO_LARGE},
 * {@link ErrorCode#STORE_UNAVAILABLE}.
 */
public final class NoteStore {
  private static final String INSERT =
      "INSERT INTO fhir_note (resource_type, resource_id, patient_key, note_date, size_bytes,"
          + " sha256, content, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";

  private final Database database;
  private final Clock clock;
  private final int maxNoteBytes;

  public NoteStore(Database database, Clock clock, int maxNoteBytes) {
    this.database = database;
    this.clock = clock;
    this.maxNoteBytes = maxNoteBytes;
  }

  /** Stores {@code resource} (the bytes as received, JSON or XML) under {@code key}. */
  public StoreResult store(byte[] resource, NoteKey key) {
    if (resource.length > maxNoteBytes) {
      throw new CdsException(
          ErrorCode.NOTE_TOO_LARGE, key.reference() + " exceeds " + maxNoteBytes + " bytes");
    }
    Spooled spooled = Spooled.of(resource);
    return database.inTransaction(
        "store " + key.reference(), c -> record(c, key, resource, spooled));
  }

  /** The stored bytes of {@code resourceType/resourceId}, if any. */
  public Optional<byte[]> read(String resourceType, String resourceId) {
    Keys.resourceType(resourceType);
    Keys.fhirId(resourceId);
    return database.inTransaction(
        "read " + resourceType + "/" + resourceId, c -> select(c, resourceType, resourceId));
  }

  /**
   * Records {@code lookupKeys} (pseudonymous keys of the patient's identifier values) for the note
   * stored under {@code key}, so {@link #notesFor} finds it. Idempotent.
   */
  public void index(NoteKey key, Collection<String> lookupKeys) {
    database.inTransaction(
        "index " + key.reference(),
        c -> {
          for (String lookupKey : lookupKeys) {
            insertLookup(c, key, Keys.patientKey(lookupKey));
          }
          return null;
        });
  }

  /**
   * References ({@code Type/id}) of the notes indexed under {@code lookupKey} whose date lies in
   * {@code [from, to]} or that state no date, oldest first.
   */
  public List<String> notesFor(String lookupKey, LocalDate from, LocalDate to) {
    Keys.patientKey(lookupKey);
    return database.inTransaction("find notes", c -> selectNotes(c, lookupKey, from, to));
  }

  private static void insertLookup(Connection c, NoteKey key, String lookupKey)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO note_patient (resource_type, resource_id, lookup_key) VALUES (?, ?, ?)"
                + " ON CONFLICT DO NOTHING")) {
      s.setString(1, key.resourceType());
      s.setString(2, key.resourceId());
      s.setString(3, lookupKey);
      s.executeUpdate();
    }
  }

  private static List<String> selectNotes(
      Connection c, String lookupKey, LocalDate from, LocalDate to) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT n.resource_type, n.resource_id FROM fhir_note n JOIN note_patient k"
                + " ON k.resource_type = n.resource_type AND k.resource_id = n.resource_id"
                + " WHERE k.lookup_key = ? AND (n.note_date IS NULL OR n.note_date BETWEEN ? AND ?)"
                + " ORDER BY n.note_date, n.resource_type, n.resource_id")) {
      s.setString(1, lookupKey);
      s.setObject(2, from, java.sql.Types.DATE);
      s.setObject(3, to, java.sql.Types.DATE);
      List<String> refs = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          refs.add(r.getString(1) + "/" + r.getString(2));
        }
      }
      return refs;
    }
  }

  /** How many conflicting re-sends of this resource have been recorded. */
  public int conflictsRecorded(String resourceType, String resourceId) {
    return database.inTransaction(
        "count conflicts", c -> Conflicts.count(c, "fhir", resourceType + "/" + resourceId));
  }

  private StoreResult record(Connection c, NoteKey key, byte[] resource, Spooled spooled)
      throws SQLException {
    if (insert(c, key, resource, spooled) == 1) {
      return new StoreResult(Outcome.STORED, spooled.size(), spooled.sha256());
    }
    if (spooled.sha256().equals(storedSha256(c, key))) {
      return new StoreResult(Outcome.DUPLICATE, spooled.size(), spooled.sha256());
    }
    Conflicts.record(c, "fhir", key.reference(), spooled, OffsetDateTime.now(clock));
    return new StoreResult(Outcome.CONFLICT, spooled.size(), spooled.sha256());
  }

  private int insert(Connection c, NoteKey key, byte[] resource, Spooled spooled)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(INSERT)) {
      s.setString(1, key.resourceType());
      s.setString(2, key.resourceId());
      s.setString(3, key.patientKey());
      s.setObject(4, key.date(), java.sql.Types.DATE);
      s.setLong(5, spooled.size());
      s.setString(6, spooled.sha256());
      s.setBytes(7, resource);
      s.setObject(8, OffsetDateTime.now(clock));
      return s.executeUpdate();
    }
  }

  private static String storedSha256(Connection c, NoteKey key) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT sha256 FROM fhir_note WHERE resource_type = ? AND resource_id = ?")) {
      s.setString(1, key.resourceType());
      s.setString(2, key.resourceId());
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }

  private static Optional<byte[]> select(Connection c, String type, String id) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT content FROM fhir_note WHERE resource_type = ? AND resource_id = ?")) {
      s.setString(1, type);
      s.setString(2, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(r.getBytes(1)) : Optional.empty();
      }
    }
  }
}
