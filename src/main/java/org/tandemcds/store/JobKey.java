package org.tandemcds.store;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The idempotency key of an analysis: the StudyInstanceUID, the set of SOPInstanceUIDs analysed
 * (kept sorted and without repeats) and the model version. Two requests with the same key are the
 * same job. All UIDs are validated ({@link org.tandemcds.domain.ErrorCode#STORE_INVALID_KEY}).
 */
public record JobKey(String studyInstanceUid, List<String> sopInstanceUids, String modelVersion) {
  public JobKey {
    Keys.uid("StudyInstanceUID", studyInstanceUid);
    sopInstanceUids = sortedUnique(sopInstanceUids);
    Keys.text("model version", modelVersion, 128);
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
