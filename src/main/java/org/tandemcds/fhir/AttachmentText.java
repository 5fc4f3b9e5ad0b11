package org.tandemcds.fhir;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Resource;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Reads the text of an Attachment: inline {@code data}, or a {@code url} naming a contained Binary
 * ({@code #id}) or a Binary in the same Bundle (fullUrl or {@code Binary/id}). The content type
 * decides the format (text/plain, text/html, text/markdown, text/x-markdown); its {@code charset}
 * parameter decides the decoding (UTF-8 when absent).
 */
final class AttachmentText {
  private static final Map<String, NoteFormat> FORMATS =
      Map.of(
          "text/plain", NoteFormat.PLAIN,
          "text/html", NoteFormat.HTML,
          "application/xhtml+xml", NoteFormat.HTML,
          "text/markdown", NoteFormat.MARKDOWN,
          "text/x-markdown", NoteFormat.MARKDOWN);

  private final ResourceIndex index;

  AttachmentText(ResourceIndex index) {
    this.index = index;
  }

  /**
   * The first attachment that yields text; alternatives of one document (R4 says repetitions of
   * DocumentReference.content and DiagnosticReport.presentedForm are the same content in other
   * formats). When none does, the first attachment's failure is thrown.
   */
  NotePart first(List<Attachment> attachments, Resource owner, String sourceReference) {
    CdsException firstFailure = null;
    for (Attachment attachment : attachments) {
      try {
        return read(attachment, owner, sourceReference);
      } catch (CdsException e) {
        firstFailure = firstFailure == null ? e : firstFailure;
      }
    }
    throw firstFailure != null
        ? firstFailure
        : new CdsException(ErrorCode.NOTE_WITHOUT_TEXT, sourceReference + ": no attachment");
  }

  NotePart read(Attachment attachment, Resource owner, String sourceReference) {
    requireSupported(attachment.getContentType(), sourceReference);
    Optional<Binary> binary = binary(attachment, owner, sourceReference);
    byte[] bytes = binary.map(Binary::getData).orElse(attachment.getData());
    String contentType =
        attachment.hasContentType()
            ? attachment.getContentType()
            : binary.map(Binary::getContentType).orElse(null);
    NoteFormat format = requireSupported(contentType, sourceReference);
    if (contentType == null || format == null) {
      throw new CdsException(
          ErrorCode.NOTE_UNSUPPORTED_CONTENT_TYPE,
          sourceReference + ": attachment has no contentType");
    }
    if (bytes == null || bytes.length == 0) {
      throw new CdsException(
          ErrorCode.NOTE_WITHOUT_TEXT, sourceReference + ": attachment is empty");
    }
    return new NotePart(
        "", decode(bytes, charsetOf(contentType, sourceReference), sourceReference), format);
  }

  private Optional<Binary> binary(Attachment attachment, Resource owner, String sourceReference) {
    if (attachment.hasData() || !attachment.hasUrl()) {
      return Optional.empty();
    }
    Optional<Resource> target = index.resolve(attachment.getUrl(), owner);
    if (target.isPresent() && target.get() instanceof Binary binary) {
      return Optional.of(binary);
    }
    throw new CdsException(
        ErrorCode.NOTE_ATTACHMENT_UNRESOLVED,
        sourceReference + ": attachment url names no contained Binary nor a Binary in the Bundle");
  }

  /** The format of a content type, null when none is given, or throws when it is not text. */
  private static NoteFormat requireSupported(String contentType, String sourceReference) {
    if (contentType == null || contentType.isBlank()) {
      return null;
    }
    NoteFormat format = FORMATS.get(mediaType(contentType));
    if (format == null) {
      throw new CdsException(
          ErrorCode.NOTE_UNSUPPORTED_CONTENT_TYPE,
          sourceReference + ": contentType " + mediaType(contentType));
    }
    return format;
  }

  private static String mediaType(String contentType) {
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.strip().toLowerCase(Locale.ROOT);
  }

  static Charset charsetOf(String contentType, String sourceReference) {
    for (String parameter : contentType.split(";")) {
      String[] nameValue = parameter.split("=", 2);
      if (nameValue.length == 2 && nameValue[0].strip().equalsIgnoreCase("charset")) {
        return charset(nameValue[1].strip().replace("\"", ""), sourceReference);
      }
    }
    return StandardCharsets.UTF_8;
  }

  private static Charset charset(String name, String sourceReference) {
    try {
      return Charset.forName(name);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new CdsException(
          ErrorCode.NOTE_CHARSET_UNSUPPORTED, sourceReference + ": charset " + name, e);
    }
  }

  private static String decode(byte[] bytes, Charset charset, String sourceReference) {
    try {
      String text =
          charset
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw new CdsException(
          ErrorCode.NOTE_BYTES_INVALID,
          sourceReference + ": attachment bytes are not valid " + charset.name(),
          e);
    }
  }
}
