package org.tandemcds.store;

import java.time.Clock;
import java.time.Duration;

/**
 * A worker in its own JVM for the concurrency test: claims and completes jobs until none is ready,
 * printing each completed job id on its own line. Arguments: JDBC URL, user, worker id.
 */
public final class QueueWorkerMain {
  private QueueWorkerMain() {}

  public static void main(String[] args) {
    try (Database database = Database.open(args[0], args[1], "", 2)) {
      JobQueue queue =
          new JobQueue(
              database, Clock.systemUTC(), new RetryPolicy(3, Duration.ZERO, Duration.ZERO));
      for (var job = queue.claim(args[2], Duration.ofMinutes(10));
          job.isPresent();
          job = queue.claim(args[2], Duration.ofMinutes(10))) {
        queue.complete(job.get().lease(), args[2]);
        System.out.println(job.get().id());
      }
    }
  }
}
