package org.tandemcds.pipeline;

import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.Explanation;
import org.tandemcds.domain.Prediction;
import org.tandemcds.encode.Encodings;

/**
 * The explain stage as the pipeline sees it: why the model said what it said about one case. The
 * explain stage plugs in here; until it does, the pipeline runs without one and its output carries
 * no saliency Media and no note evidence (never a made-up explanation).
 */
@FunctionalInterface
public interface Explainer {
  Explanation explain(CaseInput input, Encodings encodings, Prediction prediction);
}
