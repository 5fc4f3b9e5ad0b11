package org.tandemcds.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Optional;

/**
 * Stored {@link CaseView}s, one per suggestion, and where their image instance lies in the study
 * store. Saving is idempotent by report id (the first view is kept).
 *
 * <p>Thread-safe. Errors: {@link org.tandemcds.domain.ErrorCode#STORE_UNAVAILABLE}, {@link
 * org.tandemcds.domain.ErrorCode#STORE_INVALID_KEY}.
 */
public final class CaseViews {
  private final Database database;
  private final Clock clock;

  public CaseViews(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /**
   * Stores the view.
   *
   * @return false when the suggestion already had one (nothing is changed)
   */
  public boolean save(CaseView view) {
    view.sopInstanceUid().ifPresent(uid -> Keys.uid("SOPInstanceUID", uid));
    return database.inTransaction(
        "store case view",
        c -> {
          try (PreparedStatement s =
              Sql.bind(
                  c.prepareStatement(
                      "INSERT INTO case_view (report_id, sop_instance_uid, frame_number,"
                          + " patient_label, study_date, study_description, modality, document,"
                          + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING"),
                  view.reportId(),
                  view.sopInstanceUid().orElse(null),
                  view.frameNumber(),
                  view.patientLabel(),
                  view.studyDate(),
                  view.studyDescription(),
                  view.modality(),
                  view.documentJson(),
                  clock.instant())) {
            return s.executeUpdate() == 1;
          }
        });
  }

  /** The view of the suggestion whose DiagnosticReport has this id. */
  public Optional<CaseView> find(String reportId) {
    return database.inTransaction(
        "read case view",
        c -> {
          try (PreparedStatement s =
                  Sql.bind(
                      c.prepareStatement(
                          "SELECT report_id, sop_instance_uid, frame_number, patient_label,"
                              + " study_date, study_description, modality, document FROM case_view"
                              + " WHERE report_id = ?"),
                      reportId);
              ResultSet r = s.executeQuery()) {
            if (!r.next()) {
              return Optional.<CaseView>empty();
            }
            return Optional.of(
                new CaseView(
                    r.getString(1),
                    Optional.ofNullable(r.getString(2)),
                    r.getInt(3),
                    r.getString(4),
                    r.getString(5),
                    r.getString(6),
                    r.getString(7),
                    r.getString(8)));
          }
        });
  }

  /** The study store key of a stored instance, if the store has it. */
  public Optional<InstanceKey> instance(String sopInstanceUid) {
    Keys.uid("SOPInstanceUID", sopInstanceUid);
    return database.inTransaction(
        "read instance key",
        c -> {
          try (PreparedStatement s =
                  Sql.bind(
                      c.prepareStatement(
                          "SELECT study_instance_uid, series_instance_uid, sop_instance_uid,"
                              + " patient_key FROM dicom_instance WHERE sop_instance_uid = ?"),
                      sopInstanceUid);
              ResultSet r = s.executeQuery()) {
            return r.next()
                ? Optional.of(
                    new InstanceKey(r.getString(1), r.getString(2), r.getString(3), r.getString(4)))
                : Optional.<InstanceKey>empty();
          }
        });
  }
}
