package org.tandemcds.store;

/**
 * Proof that a worker holds a job: the job id, the worker id and the attempt number it claimed (the
 * fencing token: a worker whose lease expired and was reclaimed can no longer act on the job).
 */
public record Lease(long jobId, String workerId, int attempt) {}
