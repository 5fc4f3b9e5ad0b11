package org.tandemcds.service;

import org.tandemcds.domain.AnalysisRequest;
import org.tandemcds.domain.AnalysisRun;

/**
 * The port through which the queue's workers run an analysis: the pipeline ({@code
 * pipeline.Pipeline::run}) in production. Implementations must be thread-safe (one call per worker
 * thread at a time) and throw {@link org.tandemcds.domain.CdsException} for bad input.
 */
@FunctionalInterface
public interface Analyzer {
  AnalysisRun analyse(AnalysisRequest request);
}
