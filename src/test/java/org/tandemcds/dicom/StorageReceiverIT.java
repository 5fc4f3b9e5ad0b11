package org.tandemcds.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.PresentationContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.store.Database;
import org.tandemcds.store.InstanceKey;
import org.tandemcds.store.StoreResult.Outcome;
import org.tandemcds.store.StudyStore;

/** The receiver against DCMTK's echoscu and storescu (and raw sockets) over loopback. */
class StorageReceiverIT {
  private static final String CT_SMALL = "CT_small.dcm";
  private static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
  private static final String RLE_LOSSLESS = "1.2.840.10008.1.2.5";

  @TempDir Path dataDir;
  private Database database;
  private StudyStore store;
  private StorageReceiver receiver;
  private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
  private final DicomImageReader reader = new DicomImageReader(DicomLimits.defaults());

  @BeforeEach
  void start() {
    database = Database.embedded(dataDir);
    store = new StudyStore(database, dataDir, Clock.systemUTC(), 1L << 30);
    ReceiverConfig config =
        ReceiverConfig.defaults(dataDir.resolve("spool"))
            .withPort(0)
            .withAllowedCallingAeTitles(Set.of("STORESCU", "ECHOSCU"));
    receiver =
        StorageReceiver.start(config, store, (key, result, ae) -> outcomes.add(result.outcome()));
  }

  @AfterEach
  void stop() {
    receiver.close();
    database.close();
  }

  @Test
  void c_echo_succeeds() {
    assertThat(run(List.of("echoscu", "-aec", "TANDEM", "127.0.0.1", port())).exit()).isZero();
  }

  @Test
  void committed_sample_studies_are_stored_with_the_same_frames() throws IOException {
    List<Path> files;
    try (Stream<Path> studies = Files.list(Path.of("sample-studies"))) {
      files = studies.map(s -> s.resolve("image.dcm")).filter(Files::exists).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(10);
    assertThat(files.stream().map(f -> reader.read(f).transferSyntaxUid()))
        .as("the committed samples include JPEG Lossless SV1 and RLE files")
        .contains(JPEG_LOSSLESS_SV1, RLE_LOSSLESS);
    assertSent(sendInOwnSyntax(files));
    files.forEach(this::assertStoredAsSent);
    assertThat(outcomes).hasSize(files.size()).containsOnly(Outcome.STORED);
  }

  @Test
  void pydicom_images_are_stored_as_sent_uncompressed_or_compressed() {
    List<Path> files =
        new ArrayList<>(pydicom(CT_SMALL, "MR_small_bigendian.dcm", "image_dfl.dcm"));
    // MR_small_RLE and MR_small_jp2klossless share MR_small's SOPInstanceUID: as they are, the
    // second would be a different data set under a stored SOPInstanceUID (0111, a CONFLICT).
    files.add(withNewSopInstanceUid(pydicom("MR_small_RLE.dcm").get(0), "9001"));
    files.add(withNewSopInstanceUid(pydicom("MR_small_jp2klossless.dcm").get(0), "9002"));
    files.addAll(pydicom("JPEG2000.dcm", "SC_rgb_jpeg_dcmtk.dcm"));
    assertSent(sendInOwnSyntax(files));
    files.forEach(this::assertStoredAsSent);
    assertThat(countRows()).isEqualTo(files.size());
  }

  @Test
  void uncompressed_images_sent_as_jpeg_lossless_are_stored_compressed_with_the_same_frames() {
    List<Path> originals = pydicom(CT_SMALL, "MR_small.dcm");
    List<Path> compressed = compressWith("dcmcjpeg", List.of("+e1"), originals);
    assertSent(storescu(List.of("-xs"), compressed));
    assertStoredCompressedWithFramesOf(originals, compressed, JPEG_LOSSLESS_SV1);
  }

  @Test
  void uncompressed_images_sent_as_rle_are_stored_compressed_with_the_same_frames() {
    List<Path> originals = pydicom(CT_SMALL, "MR_small.dcm");
    List<Path> compressed = compressWith("dcmcrle", List.of(), originals);
    assertSent(storescu(List.of("-xr"), compressed));
    assertStoredCompressedWithFramesOf(originals, compressed, RLE_LOSSLESS);
  }

  @Test
  void re_sending_is_a_duplicate_not_a_second_copy() {
    List<Path> files = pydicom(CT_SMALL);
    assertSent(storescu(List.of(), files));
    assertSent(storescu(List.of(), files));
    assertThat(outcomes).containsExactly(Outcome.STORED, Outcome.DUPLICATE);
    assertThat(countRows()).isEqualTo(1);
    assertThat(storedFiles()).hasSize(1);
  }

  @Test
  void calling_ae_title_outside_the_allowlist_is_rejected() {
    Result result = run(command(List.of("-aet", "INTRUDER"), pydicom(CT_SMALL)));
    assertThat(result.exit()).as(result.output()).isNotZero();
    assertThat(countRows()).isZero();
    assertThat(run(List.of("echoscu", "-aet", "INTRUDER", "127.0.0.1", port())).exit()).isNotZero();
  }

  @Test
  void structured_report_and_jpeg_ls_are_refused_at_negotiation() {
    for (String name : List.of("test-SR.dcm", "MR_small_jpeg_ls_lossless.dcm")) {
      Result result = sendInOwnSyntax(pydicom(name));
      assertThat(result.exit()).as(name + ": " + result.output()).isNotZero();
      assertThat(result.output()).as(name).contains("No Acceptable Presentation Contexts");
    }
    assertThat(countRows()).isZero();
    assertThat(storedFiles()).isEmpty();
  }

  @Test
  void garbage_bytes_and_partial_pdus_do_not_stop_the_receiver() throws IOException {
    byte[] garbage = new byte[4096];
    new Random(7).nextBytes(garbage);
    sendRaw(garbage);
    sendRaw(new byte[] {0x01, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x01});
    sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    c_echo_succeeds();
    assertNoPartialFiles();
  }

  @Test
  void association_aborted_mid_transfer_leaves_nothing_and_the_receiver_serves_on()
      throws Exception {
    String ct = "1.2.840.10008.5.1.4.1.1.2";
    LinkedList<PresentationContext> contexts = new LinkedList<>();
    contexts.add(new PresentationContext((byte) 1, ct, TransferSyntax.ExplicitVRLittleEndian));
    Association association =
        AssociationFactory.createNewAssociation(
            "127.0.0.1", receiver.port(), "TANDEM", "STORESCU", contexts, null, false);
    byte[] command = new CStoreRequestCommandMessage(ct, "1.2.3.4.5.6").getBytes();
    association.send((byte) 1, command, null);
    OutputStream data = association.getAssociationOutputStream((byte) 1);
    data.write(new byte[300_000]);
    association.abort();
    c_echo_succeeds();
    assertSent(storescu(List.of(), pydicom(CT_SMALL)));
    assertNoPartialFiles();
    assertThat(countRows()).isEqualTo(1);
  }

  @Test
  void a_thousand_instances_over_eight_concurrent_storescu_are_all_stored_and_accounted_for()
      throws Exception {
    List<Path> files = copiesWithNewUids(pydicom(CT_SMALL).get(0), 1000);
    List<Process> senders = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      senders.add(start(command(List.of(), files.subList(i * 125, (i + 1) * 125))));
    }
    for (Process sender : senders) {
      String output = new String(sender.getInputStream().readAllBytes());
      assertThat(sender.waitFor(600, TimeUnit.SECONDS)).isTrue();
      assertThat(sender.exitValue()).as(output).isZero();
    }
    assertThat(countRows()).isEqualTo(1000);
    assertThat(storedFiles()).hasSize(1000);
    assertThat(outcomes).hasSize(1000).containsOnly(Outcome.STORED);
    for (Path file : List.of(files.get(0), files.get(499), files.get(999))) {
      assertStoredAsSent(file);
    }
    assertNoPartialFiles();
  }

  private void assertStoredWithSameFrames(Path original) {
    assertSameFrames(reader.read(original), reader.read(storedPath(original)));
  }

  private static void assertSameFrames(DecodedImage sent, DecodedImage stored) {
    assertThat(stored.sopInstanceUid()).isEqualTo(sent.sopInstanceUid());
    assertThat(stored.frames()).hasSameSizeAs(sent.frames());
    for (int i = 0; i < sent.frames().size(); i++) {
      assertThat(stored.frames().get(i))
          .as(sent.source() + " frame " + i)
          .isEqualTo(sent.frames().get(i));
    }
  }

  /** Same frames, and stored in the transfer syntax the file was sent in (its own). */
  private void assertStoredAsSent(Path original) {
    assertStoredWithSameFrames(original);
    assertThat(reader.read(storedPath(original)).transferSyntaxUid())
        .as(original.toString())
        .isEqualTo(reader.read(original).transferSyntaxUid());
  }

  private void assertStoredCompressedWithFramesOf(
      List<Path> originals, List<Path> compressed, String transferSyntaxUid) {
    for (int i = 0; i < originals.size(); i++) {
      Path sent = compressed.get(i);
      assertThat(reader.read(sent).transferSyntaxUid())
          .as(sent.toString())
          .isEqualTo(transferSyntaxUid);
      assertThat(reader.read(storedPath(sent)).transferSyntaxUid())
          .as(sent.toString())
          .isEqualTo(transferSyntaxUid);
      assertStoredAsSent(sent);
      assertSameFrames(reader.read(originals.get(i)), reader.read(storedPath(sent)));
    }
  }

  /** A copy (same transfer syntax, same pixel data) under a new SOPInstanceUID, by dcmodify. */
  private Path withNewSopInstanceUid(Path file, String suffix) {
    Path copy = dataDir.resolve(suffix + "-" + file.getFileName());
    try {
      Files.copy(file, copy);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    String uid = "1.2.826.0.1.3680043.9.7777." + suffix;
    Result result = run(List.of("dcmodify", "-nb", "-m", "SOPInstanceUID=" + uid, copy.toString()));
    assertThat(result.exit()).as(result.output()).isZero();
    assertThat(reader.read(copy).sopInstanceUid()).isEqualTo(uid);
    return copy;
  }

  /** Compresses each file with a DCMTK tool into the test's folder, in the same order. */
  private List<Path> compressWith(String tool, List<String> options, List<Path> files) {
    List<Path> out = new ArrayList<>();
    for (Path file : files) {
      Path target = dataDir.resolve(tool + "-" + file.getFileName());
      List<String> command = new ArrayList<>(List.of(tool));
      command.addAll(options);
      command.addAll(List.of(file.toString(), target.toString()));
      Result result = run(command);
      assertThat(result.exit()).as(String.join(" ", command) + ": " + result.output()).isZero();
      out.add(target);
    }
    return out;
  }

  /**
   * Sends each file in its own transfer syntax: a storescu association profile proposes one
   * presentation context per (SOPClassUID, TransferSyntaxUID) of the files and nothing else, so
   * storescu never converts (it cannot decompress) and the receiver sees the syntax as written.
   */
  private Result sendInOwnSyntax(List<Path> files) {
    List<String> syntaxes = new ArrayList<>();
    Set<String> contexts = new LinkedHashSet<>();
    for (Path file : files) {
      AttributeList header = header(file);
      String syntax =
          Attribute.getSingleStringValueOrEmptyString(header, TagFromName.TransferSyntaxUID);
      String sopClass =
          Attribute.getSingleStringValueOrEmptyString(header, TagFromName.SOPClassUID);
      assertThat(List.of(syntax, sopClass)).as(file.toString()).doesNotContain("");
      if (!syntaxes.contains(syntax)) {
        syntaxes.add(syntax);
      }
      contexts.add(sopClass + "\\TS" + syntaxes.indexOf(syntax));
    }
    StringBuilder cfg = new StringBuilder("[[TransferSyntaxes]]\n");
    for (int i = 0; i < syntaxes.size(); i++) {
      cfg.append("[TS" + i + "]\nTransferSyntax1 = " + syntaxes.get(i) + "\n");
    }
    cfg.append("[[PresentationContexts]]\n[OwnSyntax]\n");
    int n = 1;
    for (String context : contexts) {
      cfg.append("PresentationContext" + n++ + " = " + context + "\n");
    }
    cfg.append("[[Profiles]]\n[Own]\nPresentationContexts = OwnSyntax\n");
    Path file = dataDir.resolve("storescu-" + UUID.randomUUID() + ".cfg");
    try {
      Files.writeString(file, cfg, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return storescu(List.of("-v", "+v", "-xf", file.toString(), "Own"), files);
  }

  /** File Meta Information and data set up to PixelData, read with PixelMed (SR included). */
  private static AttributeList header(Path file) {
    AttributeList list = new AttributeList();
    try {
      list.read(file.toFile(), TagFromName.PixelData);
    } catch (IOException | DicomException e) {
      throw new AssertionError(file.toString(), e);
    }
    return list;
  }

  private Path storedPath(Path original) {
    DecodedImage image = reader.read(original);
    return store.path(
        new InstanceKey(
            image.studyInstanceUid(), image.seriesInstanceUid(), image.sopInstanceUid(), "pt-x"));
  }

  private void assertNoPartialFiles() throws IOException {
    try (Stream<Path> all = Files.walk(dataDir)) {
      assertThat(all.filter(p -> p.toString().endsWith(".part"))).isEmpty();
    }
  }

  private List<Path> storedFiles() {
    Path studies = dataDir.resolve("studies");
    if (!Files.exists(studies)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(studies)) {
      return all.filter(p -> p.toString().endsWith(".dcm")).toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private int countRows() {
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT COUNT(*) FROM dicom_instance")) {
      r.next();
      return r.getInt(1);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private List<Path> copiesWithNewUids(Path original, int count) throws Exception {
    Path folder = Files.createDirectories(dataDir.resolve("load"));
    List<Path> copies = new ArrayList<>();
    AttributeList list = new AttributeList();
    list.read(original.toFile());
    for (int i = 0; i < count; i++) {
      String uid = "1.2.826.0.1.3680043.9.7777." + (i + 1);
      for (var tag : List.of(TagFromName.SOPInstanceUID, TagFromName.MediaStorageSOPInstanceUID)) {
        UniqueIdentifierAttribute a = new UniqueIdentifierAttribute(tag);
        a.addValue(uid);
        list.put(a);
      }
      Path copy = folder.resolve(i + ".dcm");
      list.write(copy.toFile(), TransferSyntax.ExplicitVRLittleEndian, true, true);
      copies.add(copy);
    }
    return copies;
  }

  private void sendRaw(byte[] bytes) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", receiver.port())) {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
    }
  }

  private static void assertSent(Result result) {
    assertThat(result.exit()).as(result.output()).isZero();
  }

  private Result storescu(List<String> options, List<Path> files) {
    return run(command(options, files));
  }

  private List<String> command(List<String> options, List<Path> files) {
    List<String> command = new ArrayList<>(List.of("storescu", "-aec", "TANDEM"));
    command.addAll(options);
    command.addAll(List.of("127.0.0.1", port()));
    files.forEach(f -> command.add(f.toString()));
    return command;
  }

  private String port() {
    return Integer.toString(receiver.port());
  }

  private static List<Path> pydicom(String... names) {
    String data = System.getenv("TANDEM_PYDICOM_DATA");
    assertThat(data)
        .as(
            "TANDEM_PYDICOM_DATA is not set: run ./tandem test, or export"
                + " TANDEM_PYDICOM_DATA=/usr/lib/python3/dist-packages/pydicom/data")
        .isNotBlank();
    return Stream.of(names).map(n -> Path.of(data, "test_files", n)).toList();
  }

  private static Process start(List<String> command) throws IOException {
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static Result run(List<String> command) {
    try {
      Process process = start(command);
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("hang guard").isTrue();
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0) + " (install dcmtk)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private record Result(int exit, String output) {}
}
