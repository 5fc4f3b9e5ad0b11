package org.tandemcds.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Which trained model the pipeline loads and where.
 *
 * @param dir the case model directory (with {@code model-card.json})
 * @param device {@code auto}, {@code cpu} or {@code gpu}
 * @param textModelCache where the pretrained text model is extracted
 * @param modelCardUrl where outputs say the model card is published (default: the card's file URI)
 */
public record ModelConfig(
    Path dir, String device, Path textModelCache, Optional<String> modelCardUrl) {}
