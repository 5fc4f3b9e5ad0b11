package org.tandemcds.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.PresentationContext;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.store.Database;
import org.tandemcds.store.StudyStore;

/**
 * C-STORE requests a real peer can send but a PACS-facing receiver must answer with the right DIMSE
 * failure status, and keep serving: a corrupt data set (C000), a data set whose SOPInstanceUID
 * differs from the command's (A900), a command naming a SOP class Tandem does not store inside an
 * accepted context (0122). Sent with PixelMed's association layer, byte by byte as a misbehaving
 * modality would; checked afterwards with DCMTK's echoscu and storescu.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReceiverFaultsIT {
  private static final String CT = "1.2.840.10008.5.1.4.1.1.2";
  private static final String COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33";

  @TempDir static Path dataDir;
  private Database database;
  private StorageReceiver receiver;

  @BeforeAll
  void start() {
    database = Database.embedded(dataDir);
    StudyStore store = new StudyStore(database, dataDir, Clock.systemUTC(), 1L << 30);
    receiver =
        StorageReceiver.start(
            ReceiverConfig.defaults(dataDir.resolve("spool")).withPort(0), store, (k, r, a) -> {});
  }

  @AfterAll
  void stop() {
    receiver.close();
    database.close();
  }

  @Test
  void a_truncated_data_set_is_answered_cannot_understand_and_nothing_is_kept() throws Exception {
    byte[] dataSet = dataSet(ctSmall());
    byte[] truncated = Arrays.copyOf(dataSet, dataSet.length / 3);
    assertThat(store(CT, sopInstanceUid(ctSmall()), truncated)).isEqualTo(0xC000);
    assertStillServing();
    assertNoFilesLeft();
  }

  @Test
  void a_data_set_that_is_not_the_commands_instance_is_answered_does_not_match() throws Exception {
    AttributeList ct = ctSmall();
    assertThat(store(CT, "1.2.826.0.1.3680043.9.7777.424242", dataSet(ct))).isEqualTo(0xA900);
    assertStillServing();
    assertNoFilesLeft();
  }

  @Test
  void a_command_for_a_sop_class_tandem_does_not_store_is_refused() throws Exception {
    AttributeList ct = ctSmall();
    assertThat(store(COMPREHENSIVE_SR, sopInstanceUid(ct), dataSet(ct))).isEqualTo(0x0122);
    assertStillServing();
    assertNoFilesLeft();
  }

  /** One C-STORE-RQ over a CT context in explicit VR little endian; the C-STORE-RSP status. */
  private int store(String commandSopClass, String commandSopInstance, byte[] dataSet)
      throws Exception {
    LinkedList<PresentationContext> contexts = new LinkedList<>();
    contexts.add(new PresentationContext((byte) 1, CT, TransferSyntax.ExplicitVRLittleEndian));
    Association association =
        AssociationFactory.createNewAssociation(
            "127.0.0.1", receiver.port(), "TANDEM", "MODALITY", contexts, null, false);
    try {
      byte[] command =
          new CStoreRequestCommandMessage(commandSopClass, commandSopInstance).getBytes();
      association.send((byte) 1, command, dataSet);
      StatusReader response = new StatusReader();
      association.setReceivedDataHandler(response);
      association.waitForCommandPDataPDUs();
      return response.status();
    } finally {
      association.release();
    }
  }

  private void assertStillServing() throws Exception {
    Tools.Result echo =
        Tools.run(
            List.of("echoscu", "-aec", "TANDEM", "127.0.0.1", Integer.toString(receiver.port())));
    assertThat(echo.exit()).as(echo.output()).isZero();
    Tools.Result store =
        Tools.run(
            List.of(
                "storescu",
                "-aec",
                "TANDEM",
                "127.0.0.1",
                Integer.toString(receiver.port()),
                ctSmallPath().toString()));
    assertThat(store.exit()).as(store.output()).isZero();
  }

  /**
   * Only the one good instance (sent by storescu after each case, a duplicate after the first) is
   * stored; no spool or partial file is left anywhere.
   */
  private void assertNoFilesLeft() throws Exception {
    try (Stream<Path> all = Files.walk(dataDir)) {
      List<Path> files =
          all.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("tandem."))
              .toList();
      assertThat(files).hasSize(1);
      assertThat(files.get(0).toString()).endsWith(sopInstanceUid(ctSmall()) + ".dcm");
    }
  }

  private static Path ctSmallPath() {
    String data = System.getenv("TANDEM_PYDICOM_DATA");
    assertThat(data)
        .as(
            "TANDEM_PYDICOM_DATA is not set: run ./tandem test, or export"
                + " TANDEM_PYDICOM_DATA=/usr/lib/python3/dist-packages/pydicom/data")
        .isNotBlank();
    return Path.of(data, "test_files", "CT_small.dcm");
  }

  private static AttributeList ctSmall() throws Exception {
    AttributeList list = new AttributeList();
    list.read(ctSmallPath().toFile());
    list.removeGroupLengthAttributes();
    list.removeMetaInformationHeaderAttributes();
    return list;
  }

  private static String sopInstanceUid(AttributeList list) {
    return Attribute.getSingleStringValueOrEmptyString(list, TagFromName.SOPInstanceUID);
  }

  private static byte[] dataSet(AttributeList list) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DicomOutputStream out =
        new DicomOutputStream(bytes, null, TransferSyntax.ExplicitVRLittleEndian);
    list.write(out);
    out.close();
    return bytes.toByteArray();
  }

  /** Reads the C-STORE-RSP command and keeps its status. */
  private static final class StatusReader extends CompositeResponseHandler {
    @Override
    protected void evaluateStatusAndSetSuccess(AttributeList list) {
      status = Attribute.getSingleIntegerValueOrDefault(list, TagFromName.Status, 0xFFFF);
      success = status == 0;
    }

    int status() {
      return status;
    }
  }
}
