package org.tandemcds.store;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The idempotency key of an analysis: the StudyInstanceUID, the set of SOPInstanceUIDs analysed
 * (kept sorted and without repeats), the model version and the notes named for it ({@code Type/id},
 * sorted; empty: the patient's stored notes from the configured window). Two requests with the same
 * key are the same job. All UIDs and references are validated ({@link
 * org.tandemcds.domain.ErrorCode#STORE_INVALID_KEY}).
 */
public record JobKey(
    String studyInstanceUid,
    List<String> sopInstanceUids,
    String modelVersion,
    List<String> noteRefs) {
  public JobKey {
    Keys.uid("StudyInstanceUID", studyInstanceUid);
    sopInstanceUids = sortedUnique(sopInstanceUids);
    Keys.text("model version", modelVersion, 128);
    noteRefs = sortedReferences(noteRefs);
  }

  /** A key whose notes are the patient's stored notes from the window. */
  public JobKey(String studyInstanceUid, List<String> sopInstanceUids, String modelVersion) {
    this(studyInstanceUid, sopInstanceUids, modelVersion, List.of());
  }

  /** sha256 of the sorted note references each followed by a newline; empty when none. */
  public String noteSetSha256() {
    return noteRefs.isEmpty()
        ? ""
        : Spooled.of(notesJoined().getBytes(StandardCharsets.UTF_8)).sha256();
  }

  String notesJoined() {
    return noteRefs.isEmpty() ? "" : String.join("\n", noteRefs) + "\n";
  }

  static List<String> splitNotes(String joined) {
    return joined == null || joined.isEmpty() ? List.of() : List.of(joined.split("\n"));
  }

  private static List<String> sortedReferences(Collection<String> refs) {
    TreeSet<String> sorted = new TreeSet<>();
    for (String ref : refs) {
      int slash = ref.indexOf('/');
      if (slash < 0) {
        throw new org.tandemcds.domain.CdsException(
            org.tandemcds.domain.ErrorCode.STORE_INVALID_KEY, "note reference is not Type/id");
      }
      Keys.resourceType(ref.substring(0, slash));
      Keys.fhirId(ref.substring(slash + 1));
      sorted.add(ref);
    }
    return List.copyOf(sorted);
  }

  /** sha256 (lower-case hex) of the sorted SOPInstanceUIDs, each followed by a newline. */
  public String instanceSetSha256() {
    return Spooled.of(joined().getBytes(StandardCharsets.US_ASCII)).sha256();
  }

  String joined() {
    return String.join("\n", sopInstanceUids) + "\n";
  }

  static List<String> split(String joined) {
    return List.of(joined.split("\n"));
  }

  private static List<String> sortedUnique(Collection<String> uids) {
    TreeSet<String> sorted = new TreeSet<>();
    for (String uid : uids) {
      sorted.add(Keys.uid("SOPInstanceUID", uid));
    }
    if (sorted.isEmpty()) {
      Keys.text("SOPInstanceUID set", "", 1);
    }
    return List.copyOf(sorted);
  }
}
