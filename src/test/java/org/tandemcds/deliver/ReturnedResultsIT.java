package org.tandemcds.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.dicom.DicomResults;
import org.tandemcds.dicom.ReceiverConfig;
import org.tandemcds.dicom.ResultObject;
import org.tandemcds.dicom.ResultSource;
import org.tandemcds.dicom.StorageReceiver;
import org.tandemcds.service.QuietStudyTrigger;
import org.tandemcds.service.StudyIngest;
import org.tandemcds.store.Database;
import org.tandemcds.store.InstanceKey;
import org.tandemcds.store.JobQueue;
import org.tandemcds.store.Outbox;
import org.tandemcds.store.RetryPolicy;
import org.tandemcds.store.StoreResult;
import org.tandemcds.store.StudyActivity;
import org.tandemcds.store.StudyStore;

/**
 * Loop protection (ADR 0014): Tandem's own Secondary Captures sent back by a PACS over C-STORE
 * (DCMTK {@code storescu} as the PACS) or STOW-RS are stored and accounted for but never join the
 * study's instance set, so the quiet-study trigger queues nothing new and the pipeline never reads
 * them as images. They are recognised by Contributing Equipment (manufacturer "Tandem CDS", purpose
 * Processing Algorithm) or, when a PACS has stripped that, by their SOPInstanceUID in Tandem's
 * outbox; a Secondary Capture that is neither is an image like any other and is analysed.
 */
class ReturnedResultsIT {
  private static final String COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";

  @TempDir Path dir;

  @Test
  void tandems_own_results_sent_back_never_trigger_or_join_an_analysis() throws Exception {
    Path data = dir.resolve("data");
    Clock clock = Clock.systemUTC();
    try (Database database = Database.embedded(data);
        StorageReceiver receiver =
            StorageReceiver.start(
                ReceiverConfig.defaults(data.resolve("spool")).withPort(0),
                new StudyStore(database, data, clock, 1L << 30),
                (key, result, ae) -> {})) {
      StudyStore studies = new StudyStore(database, data, clock, 1L << 30);
      JobQueue queue =
          new JobQueue(
              database, clock, new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofMinutes(1)));
      QuietStudyTrigger trigger =
          new QuietStudyTrigger(
              new StudyActivity(database, clock),
              studies,
              queue,
              () -> {},
              clock,
              Duration.ZERO,
              "m");
      String study = ResultSource.read(ResultFixtures.CR_SAMPLE).studyInstanceUid();
      String original = ResultSource.read(ResultFixtures.CR_SAMPLE).sopInstanceUid();

      storescu(receiver.port(), ResultFixtures.CR_SAMPLE, "-xs"); // JPEG Lossless as stored
      assertThat(trigger.check()).as("the original study goes quiet and is queued").isEqualTo(1);

      Path stored = studies.path(studies.instances(study).get(0));
      List<ResultObject> results =
          new DicomResults()
              .write(
                  ResultFixtures.runOver(stored),
                  List.of(stored),
                  dir.resolve("results"),
                  ZonedDateTime.now(ZoneOffset.UTC));
      ResultObject secondaryCapture =
          results.stream()
              .filter(r -> !r.sopClassUid().equals(COMPREHENSIVE_SR))
              .findFirst()
              .orElseThrow();
      storescu(receiver.port(), secondaryCapture.file());
      assertThat(uids(studies.tandemResults(study)))
          .as("Tandem's SC is received and kept")
          .containsExactly(secondaryCapture.sopInstanceUid());
      assertThat(uids(studies.instances(study))).containsExactly(original);
      assertThat(trigger.check()).as("its arrival makes nothing quiet").isZero();

      // a PACS that strips Contributing Equipment: the outbox still knows the SOPInstanceUID
      Outbox outbox =
          new Outbox(
              database,
              data,
              clock,
              new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofMinutes(1)),
              1L << 30);
      Path report =
          results.stream()
              .filter(r -> r.sopClassUid().equals(COMPREHENSIVE_SR))
              .findFirst()
              .orElseThrow()
              .file();
      ResultObject secondRun =
          new DicomResults()
              .write(
                  ResultFixtures.runOver(stored),
                  List.of(stored),
                  dir.resolve("results-2"),
                  ZonedDateTime.now(ZoneOffset.UTC))
              .get(0);
      outbox.enqueue("pacs", secondRun.file(), study, secondRun.sopInstanceUid());
      Path strippedSc = stripped(secondRun.file(), false);
      StudyIngest.Stored overStow = new StudyIngest(studies).store(strippedSc, "part 1", study);
      assertThat(overStow.header().tandemResult()).as("its header no longer says so").isFalse();
      assertThat(overStow.result().outcome()).isEqualTo(StoreResult.Outcome.STORED);
      assertThat(uids(studies.tandemResults(study))).contains(secondRun.sopInstanceUid());
      assertThat(new StudyIngest(studies).store(report, "part 2", study).header().tandemResult())
          .as("an SR of Tandem's over STOW-RS is recognised by its header")
          .isTrue();
      assertThat(uids(studies.instances(study))).containsExactly(original);
      assertThat(trigger.check()).isZero();

      // another Secondary Capture (no Tandem equipment, not Tandem's UID) is an image to analyse
      Path foreign = stripped(secondaryCapture.file(), true);
      storescu(receiver.port(), foreign);
      assertThat(uids(studies.instances(study)))
          .containsExactlyInAnyOrder(original, ResultSource.read(foreign).sopInstanceUid());
      assertThat(trigger.check()).as("the grown study is analysed again").isEqualTo(1);
      assertThat(queue.depth().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
    }
  }

  /** A copy of {@code file} without Contributing Equipment; with a new SOPInstanceUID if asked. */
  private Path stripped(Path file, boolean newInstanceUid) throws Exception {
    Path copy =
        Files.copy(
            file,
            dir.resolve((newInstanceUid ? "foreign-" : "stripped-") + file.getFileName()),
            StandardCopyOption.REPLACE_EXISTING);
    List<String> command =
        new java.util.ArrayList<>(List.of("dcmodify", "-nb", "-ea", "(0018,a001)"));
    if (newInstanceUid) {
      command.add("-gin");
    }
    command.add(copy.toString());
    run(command);
    assertThat(Files.readAllBytes(copy)).isNotEqualTo(Files.readAllBytes(file));
    return copy;
  }

  private static void storescu(int port, Path file, String... options) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("storescu"));
    command.addAll(List.of(options));
    command.addAll(List.of("-aec", "TANDEM", "127.0.0.1", String.valueOf(port), file.toString()));
    run(command);
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("hang guard").isTrue();
    assertThat(process.exitValue()).as(command.get(0) + ": " + output).isZero();
  }

  private static List<String> uids(List<InstanceKey> keys) {
    return keys.stream().map(InstanceKey::sopInstanceUid).toList();
  }
}
