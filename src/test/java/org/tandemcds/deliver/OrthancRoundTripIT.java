package org.tandemcds.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.tandemcds.dicom.DicomDestination;
import org.tandemcds.dicom.DicomResults;
import org.tandemcds.dicom.ModelIdentity;
import org.tandemcds.dicom.ReceiverConfig;
import org.tandemcds.dicom.ResultObject;
import org.tandemcds.dicom.ResultSource;
import org.tandemcds.dicom.StorageReceiver;
import org.tandemcds.dicom.StorageSender;
import org.tandemcds.domain.AnalysisRun;
import org.tandemcds.store.Database;
import org.tandemcds.store.InstanceKey;
import org.tandemcds.store.Outbox;
import org.tandemcds.store.OutboxState;
import org.tandemcds.store.RetryPolicy;
import org.tandemcds.store.StoreResult;
import org.tandemcds.store.StudyStore;

/**
 * Orthanc as the PACS, both ways: a study uploaded to Orthanc over REST is forwarded by Orthanc's
 * own Lua OnStableStudy rule to Tandem's DICOM receiver, which stores it; Tandem's SC and SR for it
 * go back through the outbox with C-STORE and land in the same study in Orthanc, checked over
 * Orthanc's REST API; Tandem's own results are not forwarded back to Tandem (the original is,
 * again, when the study becomes stable a second time: a duplicate to the receiver).
 *
 * <p>The analysis between the two legs is the pipeline's (service and report work, not wired in
 * this branch): here the results are written from a fixed {@link AnalysisRun} over the instance the
 * receiver stored.
 */
class OrthancRoundTripIT {
  private static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";
  private static final String COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";

  @TempDir Path dir;

  @Test
  void a_study_forwarded_by_orthanc_gets_its_secondary_capture_and_sr_back_in_the_same_study()
      throws Exception {
    Path data = dir.resolve("data");
    List<InstanceKey> received = new CopyOnWriteArrayList<>();
    List<StoreResult.Outcome> outcomes = new CopyOnWriteArrayList<>();
    try (Database database = Database.embedded(data);
        StorageReceiver receiver =
            StorageReceiver.start(
                ReceiverConfig.defaults(data.resolve("spool"))
                    .withPort(0)
                    .withAllowedCallingAeTitles(Set.of(OrthancPacs.AE_TITLE)),
                new StudyStore(database, data, Clock.systemUTC(), 1L << 30),
                (key, result, ae) -> {
                  outcomes.add(result.outcome());
                  received.add(key);
                });
        OrthancPacs orthanc =
            OrthancPacs.start(dir.resolve("orthanc"), "TANDEM", receiver.port())) {
      String study = ResultSource.read(ResultFixtures.CR_SAMPLE).studyInstanceUid();
      orthanc.upload(ResultFixtures.CR_SAMPLE);

      await(() -> received.size() == 1, "Orthanc's OnStableStudy rule forwards the study");
      long receivedAt = System.nanoTime();
      InstanceKey key = received.get(0);
      assertThat(key.studyInstanceUid()).isEqualTo(study);
      Path stored = new StudyStore(database, data, Clock.systemUTC(), 1L << 30).path(key);
      AnalysisRun run = ResultFixtures.runOver(stored);
      List<ResultObject> results =
          new DicomResults()
              .write(
                  run, List.of(stored), data.resolve("results"), ZonedDateTime.now(ZoneOffset.UTC));
      DicomDestination pacs =
          new DicomDestination(
              "orthanc", "127.0.0.1", orthanc.dicomPort, OrthancPacs.AE_TITLE, "TANDEM");
      Outbox outbox =
          new Outbox(
              database,
              data,
              Clock.systemUTC(),
              new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(1)),
              1L << 30);
      try (PacsDelivery delivery =
          new PacsDelivery(
              outbox, new StorageSender(), List.of(pacs), "it", Duration.ofSeconds(30), 16)) {
        delivery.enqueue(results);
        assertThat(delivery.deliverDue()).isEqualTo(2);
      }
      long backAt = System.nanoTime();
      LoggerFactory.getLogger(OrthancRoundTripIT.class)
          .info(
              "received -> SC and SR stored in Orthanc (no analysis): {} ms",
              TimeUnit.NANOSECONDS.toMillis(backAt - receivedAt));

      List<JsonNode> instances = orthanc.instancesOfStudy(study);
      assertThat(instances).hasSize(3);
      assertThat(instances.stream().map(i -> text(i, "SOPInstanceUID")))
          .containsAll(results.stream().map(ResultObject::sopInstanceUid).toList());
      JsonNode sc = byClass(orthanc, instances, SECONDARY_CAPTURE);
      JsonNode sr = byClass(orthanc, instances, COMPREHENSIVE_SR);
      String deviceUid = ModelIdentity.of(run.prediction()).deviceUid();
      for (JsonNode tags : List.of(sc, sr)) {
        assertThat(tags.path("StudyInstanceUID").asText()).isEqualTo(study);
        assertThat(tags.path("SeriesDescription").asText()).contains("AI suggestion");
        assertThat(tags.path("ContributingEquipmentSequence").path(0).path("DeviceUID").asText())
            .isEqualTo(deviceUid);
      }
      assertThat(sc.path("SourceImageSequence").path(0).path("ReferencedSOPInstanceUID").asText())
          .isEqualTo(key.sopInstanceUid());
      assertThat(sr.path("VerificationFlag").asText()).isEqualTo("UNVERIFIED");
      assertThat(outbox.depth("orthanc")).containsEntry(OutboxState.SENT, 2L);

      await(() -> received.size() > 1, "the study becomes stable again with the results");
      assertThat(received.stream().map(InstanceKey::sopInstanceUid).distinct())
          .as("only the original image is forwarded, never Tandem's own SC or SR")
          .containsExactly(key.sopInstanceUid());
      assertThat(outcomes.subList(1, outcomes.size()))
          .as("a re-forwarded original is a duplicate: same instance set, no second analysis")
          .containsOnly(StoreResult.Outcome.DUPLICATE);
    }
  }

  private static JsonNode byClass(OrthancPacs orthanc, List<JsonNode> instances, String sopClass)
      throws Exception {
    for (JsonNode instance : instances) {
      JsonNode tags = orthanc.tags(instance.path("ID").asText());
      if (sopClass.equals(tags.path("SOPClassUID").asText())) {
        return tags;
      }
    }
    throw new AssertionError("no instance of " + sopClass + " in the study");
  }

  private static String text(JsonNode instance, String tag) {
    return instance.path("MainDicomTags").path(tag).asText();
  }

  private static void await(java.util.function.BooleanSupplier condition, String what)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    assertThat(condition.getAsBoolean()).as(what).isTrue();
  }
}
