package org.tandemcds.dicom;

import com.pixelmed.network.PresentationContext;
import com.pixelmed.network.PresentationContextSelectionPolicy;
import java.util.LinkedList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which presentation contexts the receiver accepts: Verification, and the image storage SOP classes
 * Tandem analyses, each only in a transfer syntax {@link DicomImageReader} can decode. For each
 * context the first acceptable transfer syntax in the peer's order is chosen; otherwise the context
 * is rejected with reason 3 (abstract syntax not supported) or 4 (transfer syntaxes not supported),
 * so the sender learns at negotiation what Tandem cannot use.
 */
final class StorageContexts implements PresentationContextSelectionPolicy {
  static final String VERIFICATION = "1.2.840.10008.1.1";
  private static final String STORAGE = "1.2.840.10008.5.1.4.1.1.";
  private static final byte ACCEPTANCE = 0;
  private static final byte ABSTRACT_SYNTAX_NOT_SUPPORTED = 3;
  private static final byte TRANSFER_SYNTAXES_NOT_SUPPORTED = 4;

  /** CR, DX (presentation and processing; mammography and intra-oral too), CT, MR, US, SC... */
  static final Set<String> IMAGE_STORAGE =
      Set.of(
          STORAGE + "1",
          STORAGE + "1.1",
          STORAGE + "1.1.1",
          STORAGE + "1.2",
          STORAGE + "1.2.1",
          STORAGE + "1.3",
          STORAGE + "1.3.1",
          STORAGE + "2",
          STORAGE + "2.1",
          STORAGE + "3.1",
          STORAGE + "4",
          STORAGE + "4.1",
          STORAGE + "6.1",
          STORAGE + "7",
          STORAGE + "7.1",
          STORAGE + "7.2",
          STORAGE + "7.3",
          STORAGE + "7.4",
          STORAGE + "12.1",
          STORAGE + "12.2",
          STORAGE + "20",
          STORAGE + "128");

  /**
   * Uncompressed (implicit and explicit LE, explicit BE, deflated), JPEG Baseline, JPEG Lossless
   * (process 14 and SV1), JPEG 2000 and RLE Lossless. Not JPEG Extended (4.51, 12-bit DCT is not
   * decodable and bit depth is unknown at negotiation), not JPEG-LS, not HTJ2K, not video.
   */
  static final List<String> TRANSFER_SYNTAXES =
      List.of(
          "1.2.840.10008.1.2.1",
          "1.2.840.10008.1.2",
          "1.2.840.10008.1.2.1.99",
          "1.2.840.10008.1.2.2",
          "1.2.840.10008.1.2.4.50",
          "1.2.840.10008.1.2.4.57",
          "1.2.840.10008.1.2.4.70",
          "1.2.840.10008.1.2.4.90",
          "1.2.840.10008.1.2.4.91",
          "1.2.840.10008.1.2.5");

  private static final String IMPLICIT_LE = "1.2.840.10008.1.2";

  @Override
  public LinkedList applyPresentationContextSelectionPolicy(
      LinkedList contexts, int associationNumber, int debugLevel) {
    return applyPresentationContextSelectionPolicy(contexts, associationNumber);
  }

  @Override
  public LinkedList applyPresentationContextSelectionPolicy(
      LinkedList contexts, int associationNumber) {
    for (Object context : contexts) {
      select((PresentationContext) context);
    }
    return contexts;
  }

  private static void select(PresentationContext context) {
    String abstractSyntax = context.getAbstractSyntaxUID();
    List<String> acceptable =
        VERIFICATION.equals(abstractSyntax) ? List.of(IMPLICIT_LE) : syntaxesFor(abstractSyntax);
    if (acceptable.isEmpty()) {
      reject(context, ABSTRACT_SYNTAX_NOT_SUPPORTED);
      return;
    }
    Optional<String> chosen = firstAcceptable(context, acceptable);
    if (chosen.isEmpty()) {
      reject(context, TRANSFER_SYNTAXES_NOT_SUPPORTED);
      return;
    }
    context.newTransferSyntaxUIDs();
    context.addTransferSyntaxUID(chosen.get());
    context.setResultReason(ACCEPTANCE);
  }

  private static List<String> syntaxesFor(String abstractSyntax) {
    return IMAGE_STORAGE.contains(abstractSyntax) ? TRANSFER_SYNTAXES : List.of();
  }

  private static Optional<String> firstAcceptable(
      PresentationContext context, List<String> acceptable) {
    return ((List<?>) context.getTransferSyntaxUIDs())
        .stream().map(uid -> ((String) uid).trim()).filter(acceptable::contains).findFirst();
  }

  private static void reject(PresentationContext context, byte reason) {
    context.newTransferSyntaxUIDs();
    context.setResultReason(reason);
  }
}
