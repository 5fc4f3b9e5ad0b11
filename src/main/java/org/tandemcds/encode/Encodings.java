package org.tandemcds.encode;

import java.util.List;
import java.util.Optional;
import org.tandemcds.domain.Mode;

/**
 * What the encode stage hands to fuse: the image features of the study's first frame (when there is
 * a study) and the token features of each note (when there are notes), and the case's mode.
 */
public record Encodings(Optional<ImageFeatures> image, List<TokenFeatures> notes, Mode mode) {
  public Encodings {
    notes = List.copyOf(notes);
  }
}
