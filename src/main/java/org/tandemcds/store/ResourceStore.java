package org.tandemcds.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import org.tandemcds.store.StoreResult.Outcome;

/**
 * FHIR resources received that carry no note (Patient, ServiceRequest, ImagingStudy...), stored as
 * their bytes in {@code fhir_resource} by type and id. Idempotent like {@link NoteStore}: the same
 * bytes again are a duplicate, other bytes a recorded conflict. Thread-safe.
 */
public final class ResourceStore {
  private final Database database;
  private final Clock clock;

  public ResourceStore(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /** Stores {@code resource} under {@code resourceType/resourceId}. */
  public StoreResult store(byte[] resource, String resourceType, String resourceId) {
    Keys.resourceType(resourceType);
    Keys.fhirId(resourceId);
    Spooled spooled = Spooled.of(resource);
    String reference = resourceType + "/" + resourceId;
    return database.inTransaction(
        "store " + reference,
        c -> {
          if (insert(c, resourceType, resourceId, resource, spooled) == 1) {
            return new StoreResult(Outcome.STORED, spooled.size(), spooled.sha256());
          }
          if (spooled.sha256().equals(storedSha256(c, resourceType, resourceId))) {
            return new StoreResult(Outcome.DUPLICATE, spooled.size(), spooled.sha256());
          }
          Conflicts.record(c, "fhir", reference, spooled, OffsetDateTime.now(clock));
          return new StoreResult(Outcome.CONFLICT, spooled.size(), spooled.sha256());
        });
  }

  /** The stored bytes of {@code resourceType/resourceId}, if any. */
  public java.util.Optional<byte[]> read(String resourceType, String resourceId) {
    Keys.resourceType(resourceType);
    Keys.fhirId(resourceId);
    return database.inTransaction(
        "read " + resourceType + "/" + resourceId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT content FROM fhir_resource WHERE resource_type = ? AND resource_id = ?")) {
            s.setString(1, resourceType);
            s.setString(2, resourceId);
            try (ResultSet r = s.executeQuery()) {
              return r.next()
                  ? java.util.Optional.of(r.getBytes(1))
                  : java.util.Optional.<byte[]>empty();
            }
          }
        });
  }

  private int insert(Connection c, String type, String id, byte[] resource, Spooled spooled)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO fhir_resource (resource_type, resource_id, size_bytes, sha256, content,"
                + " received_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
      s.setString(1, type);
      s.setString(2, id);
      s.setLong(3, spooled.size());
      s.setString(4, spooled.sha256());
      s.setBytes(5, resource);
      s.setObject(6, OffsetDateTime.now(clock));
      return s.executeUpdate();
    }
  }

  private static String storedSha256(Connection c, String type, String id) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT sha256 FROM fhir_resource WHERE resource_type = ? AND resource_id = ?")) {
      s.setString(1, type);
      s.setString(2, id);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? r.getString(1) : null;
      }
    }
  }
}
