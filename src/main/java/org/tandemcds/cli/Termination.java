package org.tandemcds.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a request to stop: {@code tandem serve} then closes its service and exits
 * 0, as a process manager expects of a clean stop (the JVM's default handlers would exit 143 or 130
 * from inside the shutdown). {@code sun.misc.Signal} is the JDK's supported way to handle a signal
 * (module {@code jdk.unsupported}, kept for exactly this use).
 */
final class Termination {
  private final CountDownLatch requested = new CountDownLatch(1);

  private Termination() {}

  /** Handles SIGTERM and SIGINT from now on, instead of the JVM's default handlers. */
  static Termination handleSignals() {
    Termination termination = new Termination();
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> termination.requested.countDown());
    }
    return termination;
  }

  /** Blocks until a stop is requested. */
  void await() throws InterruptedException {
    requested.await();
  }
}
