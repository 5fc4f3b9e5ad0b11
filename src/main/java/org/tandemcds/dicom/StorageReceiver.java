package org.tandemcds.dicom;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.store.StudyStore;

/**
 * A DICOM Storage SCP and Verification SCP that puts every received image instance into the {@link
 * StudyStore}.
 *
 * <p>Listens on {@link ReceiverConfig#bindAddress()}:{@link ReceiverConfig#port()} (0: any free
 * port, see {@link #port()}); one worker thread per association, at most {@link
 * ReceiverConfig#maxAssociations()} at once. Association negotiation is PixelMed's, with {@link
 * StorageContexts} choosing what to accept; a calling AE title outside the allowlist gets an
 * A-ABORT right after negotiation. Each C-STORE data set is spooled to {@code <spoolDir>/*.part},
 * its header read, streamed into the store (which spools and renames atomically) and the spool file
 * deleted. C-STORE-RSP statuses: 0000 stored or an identical duplicate; 0111 other bytes already
 * stored under the SOPInstanceUID (a recorded conflict); 0122 SOP class not one Tandem stores; A700
 * too large or the store failed; A900 the data set's SOPClassUID/SOPInstanceUID differ from the
 * command or its UIDs are unusable; C000 the data set cannot be parsed. Whatever a peer does ends
 * only its own association.
 *
 * <p>Thread-safe. {@link #close()} stops accepting, closes the listening socket and waits up to 10
 * seconds for running associations.
 */
public final class StorageReceiver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StorageReceiver.class);

  private final ReceiverConfig config;
  private final ServerSocket server;
  private final InstanceIntake intake;
  private final ExecutorService workers;
  private final Thread acceptor;

  private StorageReceiver(ReceiverConfig config, ServerSocket server, InstanceIntake intake) {
    this.config = config;
    this.server = server;
    this.intake = intake;
    this.workers = Executors.newFixedThreadPool(config.maxAssociations(), daemon("dicom-scp"));
    this.acceptor = daemon("dicom-scp-accept").newThread(this::acceptLoop);
  }

  /**
   * Binds and starts serving.
   *
   * @throws CdsException {@code IO_FAILURE} when the address cannot be bound or the spool folder
   *     cannot be created
   */
  public static StorageReceiver start(
      ReceiverConfig config, StudyStore store, InstanceReceived listener) {
    try {
      Files.createDirectories(config.spoolDir());
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(
          new InetSocketAddress(InetAddress.getByName(config.bindAddress()), config.port()), 50);
      StorageReceiver receiver =
          new StorageReceiver(
              config, server, new InstanceIntake(store, listener, config.maxInstanceBytes()));
      receiver.acceptor.start();
      log.info("{}: listening on {}:{}", config.aeTitle(), config.bindAddress(), receiver.port());
      return receiver;
    } catch (IOException e) {
      throw new CdsException(
          ErrorCode.IO_FAILURE,
          "cannot listen on " + config.bindAddress() + ":" + config.port() + ": " + e,
          e);
    }
  }

  /** The port actually listened on (the chosen one when configured as 0). */
  public int port() {
    return server.getLocalPort();
  }

  public String aeTitle() {
    return config.aeTitle();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        workers.execute(new AssociationSession(socket, config, intake));
      } catch (IOException e) {
        logUnlessClosed(e);
      }
    }
  }

  private void logUnlessClosed(IOException e) {
    if (!server.isClosed()) {
      log.warn("{}: accept failed: {}", config.aeTitle(), e.toString());
    }
  }

  @Override
  public void close() {
    try {
      server.close();
      workers.shutdown();
      if (!workers.awaitTermination(10, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
      acceptor.join(TimeUnit.SECONDS.toMillis(10));
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot close the listening socket", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      workers.shutdownNow();
    }
    log.info("{}: stopped listening", config.aeTitle());
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
