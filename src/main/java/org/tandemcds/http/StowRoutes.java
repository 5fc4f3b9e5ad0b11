package org.tandemcds.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.domain.AuditType;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.metrics.Metrics;
import org.tandemcds.review.Auditor;
import org.tandemcds.security.Authenticator;
import org.tandemcds.service.StudyIngest;
import org.tandemcds.store.StoreResult;

/**
 * DICOMweb STOW-RS ({@code POST /dicomweb/studies[/{study}]}, PS3.18 10.5): each {@code
 * application/dicom} part streams to a spool file ({@code *.part}, never whole in memory), is
 * stored by its UIDs, and is reported in the response's ReferencedSOPSequence or FailedSOPSequence
 * with a FailureReason. 200 when all were stored, 202 when some failed, 409 when none was.
 *
 * <p>With {@code auth=bearer} a request needs a system client's token with {@code
 * system/ImagingStudy.write} (or {@code system/*.write}), checked before its body is read; a
 * refusal is audited as a Security Alert, not as a transfer.
 *
 * <p>Audited: one DICOM Instances Transferred event per study received (instances stored,
 * duplicates, conflicts; a failure when any conflicted), one failure event for the parts refused
 * before their study was known, and one for a request refused whole.
 */
public final class StowRoutes implements Routes {
  private static final Logger log = LoggerFactory.getLogger(StowRoutes.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int PROCESSING_FAILURE = 0x0110;
  static final int DUPLICATE_SOP_INSTANCE = 0x0111;
  static final int OUT_OF_RESOURCES = 0xA700;
  static final int DATA_SET_DOES_NOT_MATCH = 0xA900;
  static final int CANNOT_UNDERSTAND = 0xC000;
  static final int STUDY_UID_MISMATCH = 0xC409;

  private final StudyIngest ingest;
  private final Path spool;
  private final long maxStowBytes;
  private final long maxInstanceBytes;
  private final Metrics metrics;
  private final IngestAccess access;

  public StowRoutes(
      StudyIngest ingest,
      Path spool,
      long maxStowBytes,
      long maxInstanceBytes,
      Metrics metrics,
      Auditor auditor,
      Authenticator authenticator,
      boolean bearerRequired) {
    this.ingest = ingest;
    this.spool = spool;
    this.maxStowBytes = maxStowBytes;
    this.maxInstanceBytes = maxInstanceBytes;
    this.metrics = metrics;
    this.access = new IngestAccess(auditor, authenticator, bearerRequired);
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/dicomweb/studies", ctx -> stow(ctx, null));
    routes.post("/dicomweb/studies/{study}", ctx -> stow(ctx, ctx.pathParam("study")));
  }

  /** With {@code auth=bearer}, every request needs {@code system/ImagingStudy.write}. */
  @Override
  public boolean authenticates() {
    return access.required();
  }

  private void stow(Context ctx, String expectedStudy) throws IOException {
    // credentials first: a refused request is answered before any of its body is read or spooled
    String agent = access.sender(ctx, "ImagingStudy").agent();
    Outcome outcome = new Outcome();
    try {
      receive(ctx, expectedStudy, outcome);
    } catch (CdsException e) {
      outcome.refusedRequest = e.code();
      throw e;
    } finally {
      audit(agent, outcome);
    }
    ctx.status(outcome.status())
        .contentType("application/dicom+json")
        .result(outcome.json().toString());
  }

  private void receive(Context ctx, String expectedStudy, Outcome outcome) throws IOException {
    String contentType = ctx.header("Content-Type");
    if (!"multipart/related".equals(Bodies.mediaType(ctx))) {
      throw new CdsException(
          ErrorCode.HTTP_UNSUPPORTED_MEDIA_TYPE,
          "STOW-RS takes multipart/related; type=\"application/dicom\"");
    }
    String type = MultipartRelated.parameter(contentType, "type");
    if (!type.isEmpty() && !"application/dicom".equalsIgnoreCase(type)) {
      throw new CdsException(
          ErrorCode.HTTP_UNSUPPORTED_MEDIA_TYPE,
          "multipart/related of type '" + type + "'; only application/dicom is accepted");
    }
    Files.createDirectories(spool);
    try (InputStream body = ctx.bodyInputStream()) {
      MultipartRelated parts =
          new MultipartRelated(body, MultipartRelated.boundary(contentType), maxStowBytes);
      int index = 0;
      while (parts.next()) {
        part(parts, index++, expectedStudy, outcome);
      }
      metrics.received("stow", outcome.bytes);
    }
  }

  private void audit(String agent, Outcome outcome) {
    outcome.studies.forEach(
        (study, tally) ->
            access.record(
                agent,
                AuditType.INSTANCES_TRANSFERRED,
                "C",
                Optional.of(tally.patientKey),
                Optional.of("urn:oid:" + study),
                tally.conflicts == 0,
                "STOW-RS: "
                    + tally.stored
                    + " instance(s) stored, "
                    + tally.duplicates
                    + " already stored, "
                    + tally.conflicts
                    + " conflicting"));
    if (!outcome.refusedParts.isEmpty()) {
      refused(
          agent,
          "STOW-RS: " + outcome.refusedParts.size() + " part(s) refused " + outcome.refusedParts);
    }
    if (outcome.refusedRequest != null) {
      refused(agent, "STOW-RS request refused: " + outcome.refusedRequest.code());
    }
  }

  private void part(MultipartRelated parts, int index, String expectedStudy, Outcome outcome)
      throws IOException {
    String partType = parts.headers().getOrDefault("content-type", "application/dicom");
    String media = partType.split(";")[0].strip();
    if (!"application/dicom".equalsIgnoreCase(media)) {
      outcome.failed("", "", CANNOT_UNDERSTAND);
      outcome.refusedParts.add("content type");
      log.warn("STOW-RS part {}: content type '{}' refused", index, media);
      return;
    }
    Path file = spool.resolve("stow-" + UUID.randomUUID() + ".part");
    try {
      long size = spoolPart(parts.body(), file);
      outcome.bytes += size;
      if (size > maxInstanceBytes) {
        metrics.error(ErrorCode.DICOM_TOO_LARGE);
        outcome.failed("", "", OUT_OF_RESOURCES);
        outcome.refusedParts.add(ErrorCode.DICOM_TOO_LARGE.code());
        return;
      }
      store(file, index, expectedStudy, outcome);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private void store(Path file, int index, String expectedStudy, Outcome outcome) {
    try {
      StudyIngest.Stored stored = ingest.store(file, "STOW-RS part " + index, expectedStudy);
      String sopClass = stored.header().sopClassUid();
      String sop = stored.header().sopInstanceUid();
      outcome.tally(stored);
      if (stored.result().outcome() == StoreResult.Outcome.CONFLICT) {
        metrics.error(ErrorCode.STORE_CONFLICT);
        outcome.failed(sopClass, sop, DUPLICATE_SOP_INSTANCE);
      } else {
        outcome.referenced(sopClass, sop);
      }
    } catch (CdsException e) {
      metrics.error(e.code());
      log.warn("STOW-RS part {} refused: {}", index, e.getMessage());
      outcome.failed("", "", reason(e.code()));
      outcome.refusedParts.add(e.code().code());
    }
  }

  /** Copies what is left of {@code in} to {@code file} (created new, synced); returns the size. */
  private long spoolPart(InputStream in, Path file) throws IOException {
    long size = 0;
    byte[] buffer = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        size += n;
        if (size <= maxInstanceBytes) {
          out.write(buffer, 0, n);
        }
      }
    }
    return size;
  }

  static int reason(ErrorCode code) {
    return switch (code) {
      case DICOM_NOT_READABLE, DICOM_TRUNCATED, DICOM_DECODE_FAILED -> CANNOT_UNDERSTAND;
      case STORE_INVALID_KEY -> DATA_SET_DOES_NOT_MATCH;
      case STUDY_MIXED -> STUDY_UID_MISMATCH;
      case DICOM_TOO_LARGE, IO_FAILURE, STORE_UNAVAILABLE -> OUT_OF_RESOURCES;
      default -> PROCESSING_FAILURE;
    };
  }

  /** What one study received in this request, for its audit event. */
  private static final class Tally {
    private final String patientKey;
    private int stored;
    private int duplicates;
    private int conflicts;

    Tally(String patientKey) {
      this.patientKey = patientKey;
    }
  }

  /** The STOW-RS response being built. */
  private static final class Outcome {
    private final List<String[]> referenced = new ArrayList<>();
    private final List<Object[]> failed = new ArrayList<>();
    private final Map<String, Tally> studies = new LinkedHashMap<>();
    private final List<String> refusedParts = new ArrayList<>();
    private ErrorCode refusedRequest;
    private long bytes;

    void tally(StudyIngest.Stored stored) {
      Tally tally =
          studies.computeIfAbsent(
              stored.key().studyInstanceUid(), k -> new Tally(stored.key().patientKey()));
      switch (stored.result().outcome()) {
        case STORED -> tally.stored++;
        case DUPLICATE -> tally.duplicates++;
        case CONFLICT -> tally.conflicts++;
      }
    }

    void referenced(String sopClass, String sop) {
      referenced.add(new String[] {sopClass, sop});
    }

    void failed(String sopClass, String sop, int reason) {
      failed.add(new Object[] {sopClass, sop, reason});
    }

    int status() {
      if (failed.isEmpty()) {
        return 200;
      }
      return referenced.isEmpty() ? 409 : 202;
    }

    ObjectNode json() {
      ObjectNode root = JSON.createObjectNode();
      if (!referenced.isEmpty()) {
        ArrayNode items = sequence(root, "00081199");
        for (String[] r : referenced) {
          ObjectNode item = items.addObject();
          ui(item, "00081150", r[0]);
          ui(item, "00081155", r[1]);
        }
      }
      if (!failed.isEmpty()) {
        ArrayNode items = sequence(root, "00081198");
        for (Object[] f : failed) {
          ObjectNode item = items.addObject();
          ui(item, "00081150", (String) f[0]);
          ui(item, "00081155", (String) f[1]);
          ObjectNode reason = item.putObject("00081197");
          reason.put("vr", "US");
          reason.putArray("Value").add((Integer) f[2]);
        }
      }
      return root;
    }

    private static ArrayNode sequence(ObjectNode root, String tag) {
      ObjectNode element = root.putObject(tag);
      element.put("vr", "SQ");
      return element.putArray("Value");
    }

    private static void ui(ObjectNode item, String tag, String uid) {
      ObjectNode element = item.putObject(tag);
      element.put("vr", "UI");
      if (!uid.isEmpty()) {
        element.putArray("Value").add(uid);
      }
    }
  }

  /** Records a refused STOW-RS request or part, with no study to name. */
  private void refused(String agent, String detail) {
    access.record(
        agent,
        AuditType.INSTANCES_TRANSFERRED,
        "C",
        Optional.empty(),
        Optional.empty(),
        false,
        detail);
  }
}
