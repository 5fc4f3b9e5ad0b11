package org.tandemcds.store;

import java.nio.file.Path;

/**
 * One result object waiting for (or claimed for) delivery to one destination.
 *
 * @param id the row's id
 * @param destination the destination's configured name
 * @param studyInstanceUid the study the object belongs to
 * @param sopInstanceUid the object's SOPInstanceUID
 * @param file where its bytes are kept until sent
 * @param attempt this claim's attempt number (1 on the first), 0 when not claimed
 * @param leaseOwner who holds the claim (empty when not claimed)
 */
public record OutboxItem(
    long id,
    String destination,
    String studyInstanceUid,
    String sopInstanceUid,
    Path file,
    int attempt,
    String leaseOwner) {}
