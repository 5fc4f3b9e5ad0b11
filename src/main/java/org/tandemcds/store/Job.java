package org.tandemcds.store;

import java.time.Instant;

/** A claimed job: what to analyse and the lease under which the worker holds it. */
public record Job(long id, JobKey key, Lease lease, Instant leaseExpiresAt) {}
