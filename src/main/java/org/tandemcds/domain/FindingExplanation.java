package org.tandemcds.domain;

import java.util.List;
import java.util.Optional;

/**
 * Why the model said what it said about one finding.
 *
 * @param finding the finding's name, as in {@link FindingPrediction#finding()}
 * @param saliency the image saliency map on the original pixel grid (empty when no image was used,
 *     or the finding was below threshold and not asked for)
 * @param overlay the saliency rendered over the image as PNG (empty when {@code saliency} is)
 * @param evidence the top note evidence spans, strongest absolute score first (empty without a
 *     note)
 * @param contribution how much each modality weighed
 */
public record FindingExplanation(
    String finding,
    Optional<SaliencyMap> saliency,
    Optional<Overlay> overlay,
    List<EvidenceSpan> evidence,
    ModalityContribution contribution) {
  public FindingExplanation {
    evidence = List.copyOf(evidence);
  }
}
