package org.tandemcds.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * The one FHIR R4 context of a process and the parsing of R4 resources.
 *
 * <p>Create it once in the composition root and pass it to every class of {@code fhir} that needs
 * it: building a {@link FhirContext} scans the whole R4 model and takes seconds. It is thread-safe;
 * parsers are created per call (HAPI parsers are not thread-safe).
 *
 * <p>Parsing is lenient but detecting: syntax errors and non-FHIR content fail with {@link
 * ErrorCode#FHIR_MALFORMED}; content-level issues (unknown elements, invalid values) are counted
 * and logged by element name only, never with values.
 */
public final class Fhir {
  private static final Logger LOG = LoggerFactory.getLogger(Fhir.class);

  private final FhirContext context;

  public Fhir() {
    this.context = FhirContext.forR4();
  }

  /** The R4 context, for the classes of this package only (HAPI types stay in {@code fhir}). */
  public FhirContext context() {
    return context;
  }

  /**
   * Parses one R4 resource, JSON or XML, chosen by the first non-blank character ({@code {} or
   * {@code <}). FHIR content is UTF-8; a leading byte order mark is ignored.
   *
   * @throws CdsException {@link ErrorCode#FHIR_MALFORMED} when the content is not UTF-8, neither
   *     JSON nor XML, not well-formed, or not an R4 resource
   */
  public Resource parse(byte[] content, String sourceName) {
    String text = utf8(content, sourceName);
    IParser parser = parserFor(text, sourceName);
    CountingErrorHandler issues = new CountingErrorHandler();
    parser.setParserErrorHandler(issues);
    Resource resource = parseWith(parser, text, sourceName);
    issues.log(LOG, sourceName);
    return resource;
  }

  private IParser parserFor(String text, String sourceName) {
    char first = firstNonBlank(text);
    if (first == '{') {
      return context.newJsonParser();
    }
    if (first == '<') {
      return context.newXmlParser();
    }
    throw new CdsException(
        ErrorCode.FHIR_MALFORMED, sourceName + ": content starts with neither '{' nor '<'");
  }

  private static Resource parseWith(IParser parser, String text, String sourceName) {
    try {
      if (parser.parseResource(text) instanceof Resource resource) {
        return resource;
      }
      throw new CdsException(ErrorCode.FHIR_MALFORMED, sourceName + ": not an R4 resource");
    } catch (DataFormatException | IllegalArgumentException | IllegalStateException e) {
      throw new CdsException(
          ErrorCode.FHIR_MALFORMED,
          sourceName + ": not a well-formed R4 " + parser.getEncoding() + " resource",
          e);
    }
  }

  private static String utf8(byte[] content, String sourceName) {
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(content))
              .toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (CharacterCodingException e) {
      throw new CdsException(ErrorCode.FHIR_MALFORMED, sourceName + ": content is not UTF-8", e);
    }
  }

  private static char firstNonBlank(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (!Character.isWhitespace(text.charAt(i))) {
        return text.charAt(i);
      }
    }
    return ' ';
  }
}
