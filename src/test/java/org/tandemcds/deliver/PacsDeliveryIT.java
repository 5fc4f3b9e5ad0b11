package org.tandemcds.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.dicom.DicomDestination;
import org.tandemcds.dicom.DicomResults;
import org.tandemcds.dicom.ResultObject;
import org.tandemcds.dicom.ResultSource;
import org.tandemcds.dicom.StorageSender;
import org.tandemcds.store.Database;
import org.tandemcds.store.Outbox;
import org.tandemcds.store.OutboxState;
import org.tandemcds.store.RetryPolicy;

/** SC and SR go through the outbox to DCMTK's storescp as the PACS, which is down, then up. */
class PacsDeliveryIT {
  private static final RetryPolicy FAST =
      new RetryPolicy(50, Duration.ofMillis(200), Duration.ofMillis(500));

  @TempDir Path dir;
  private final List<Process> peers = new ArrayList<>();

  @AfterEach
  void stopPeers() throws InterruptedException {
    for (Process peer : peers) {
      peer.destroy();
      peer.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void results_queued_while_the_pacs_is_down_arrive_after_a_restart_once_it_is_up()
      throws Exception {
    int port = ResultFixtures.freePort();
    DicomDestination pacs = new DicomDestination("pacs", "127.0.0.1", port, "PACS", "TANDEM");
    List<ResultObject> objects =
        new DicomResults()
            .write(
                ResultFixtures.runOver(ResultFixtures.CR_SAMPLE),
                List.of(ResultFixtures.CR_SAMPLE),
                dir.resolve("results"),
                ZonedDateTime.now(ZoneOffset.UTC));
    assertThat(objects).hasSize(2);

    try (Database database = Database.embedded(dir.resolve("data"));
        PacsDelivery delivery = delivery(database, pacs)) {
      delivery.enqueue(objects);
      delivery.enqueue(objects);
      assertThat(delivery.deliverDue()).as("nobody listens yet").isZero();
      assertThat(outbox(database).depth("pacs")).containsEntry(OutboxState.QUEUED, 2L);
    }

    Path received = Files.createDirectories(dir.resolve("pacs"));
    startStoreScp(port, received);
    try (Database database = Database.embedded(dir.resolve("data"));
        PacsDelivery delivery = delivery(database, pacs)) {
      Outbox outbox = outbox(database);
      deliverUntilSent(delivery, outbox, 2);
      assertThat(outbox.depth("pacs"))
          .containsEntry(OutboxState.SENT, 2L)
          .containsEntry(OutboxState.QUEUED, 0L);
    }
    assertThat(sopInstanceUids(received))
        .containsExactlyInAnyOrderElementsOf(
            objects.stream().map(ResultObject::sopInstanceUid).toList());
    assertThat(filesUnder(dir.resolve("data/outbox"))).as("sent copies are deleted").isEmpty();
  }

  @Test
  void an_association_aborted_during_the_transfer_is_retried_until_stored() throws Exception {
    int port = ResultFixtures.freePort();
    DicomDestination pacs = new DicomDestination("pacs", "127.0.0.1", port, "PACS", "TANDEM");
    List<ResultObject> objects =
        new DicomResults()
            .write(
                ResultFixtures.runOver(ResultFixtures.CR_SAMPLE),
                List.of(ResultFixtures.CR_SAMPLE),
                dir.resolve("results"),
                ZonedDateTime.now(ZoneOffset.UTC));
    Path received = Files.createDirectories(dir.resolve("pacs"));
    Process aborting = startStoreScp(port, received, "--abort-during");
    try (Database database = Database.embedded(dir.resolve("data"));
        PacsDelivery delivery = delivery(database, pacs)) {
      Outbox outbox = outbox(database);
      delivery.enqueue(objects);
      assertThat(delivery.deliverDue()).isZero();
      assertThat(outbox.depth("pacs")).containsEntry(OutboxState.QUEUED, 2L);

      aborting.destroy();
      aborting.waitFor(10, TimeUnit.SECONDS);
      startStoreScp(port, received);
      deliverUntilSent(delivery, outbox, 2);
    }
    assertThat(sopInstanceUids(received))
        .containsExactlyInAnyOrderElementsOf(
            objects.stream().map(ResultObject::sopInstanceUid).toList());
  }

  private static void deliverUntilSent(PacsDelivery delivery, Outbox outbox, long expected)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (outbox.depth("pacs").get(OutboxState.SENT) < expected && System.nanoTime() < end) {
      delivery.deliverDue();
      Thread.sleep(100);
    }
    assertThat(outbox.depth("pacs").get(OutboxState.SENT)).isEqualTo(expected);
  }

  private Outbox outbox(Database database) {
    return new Outbox(database, dir.resolve("data"), Clock.systemUTC(), FAST, 1L << 30);
  }

  private PacsDelivery delivery(Database database, DicomDestination pacs) {
    return new PacsDelivery(
        outbox(database), new StorageSender(), List.of(pacs), "it", Duration.ofSeconds(30), 16);
  }

  private Process startStoreScp(int port, Path into, String... options) throws Exception {
    List<String> command =
        new ArrayList<>(List.of("storescp", "-aet", "PACS", "-od", into.toString()));
    command.addAll(List.of(options));
    command.add(Integer.toString(port));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("storescp-" + port + "-" + peers.size() + ".log").toFile())
            .start();
    peers.add(process);
    ResultFixtures.awaitListening(port);
    return process;
  }

  private static List<String> sopInstanceUids(Path folder) throws Exception {
    return filesUnder(folder).stream().map(f -> ResultSource.read(f).sopInstanceUid()).toList();
  }

  private static List<Path> filesUnder(Path folder) throws Exception {
    if (!Files.exists(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).toList();
    }
  }
}
