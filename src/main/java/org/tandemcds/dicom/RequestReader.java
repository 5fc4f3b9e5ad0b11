package org.tandemcds.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.Association;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.MessageServiceElementCommand;
import com.pixelmed.network.PDataPDU;
import com.pixelmed.network.PresentationDataValue;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Reads one DIMSE request from an association: the command set, and for a C-STORE-RQ the data set,
 * streamed PDV by PDV into a Part 10 spool file ({@code <spoolDir>/<uuid>.part}) headed by a File
 * Meta Information for the negotiated transfer syntax. Nothing is held in memory but the command.
 *
 * <p>PixelMed's {@code ReceivedDataHandler} cannot be extended outside its package, so this extends
 * its public {@link CompositeResponseHandler} and replaces its PDU handling. One instance per
 * request; not thread-safe. The caller deletes {@link #spoolFile()} when it is done with it.
 */
final class RequestReader extends CompositeResponseHandler {
  private static final int MAX_COMMAND_BYTES = 1 << 16;

  private final Path spoolDir;
  private final long maxDataBytes;
  private final ByteArrayOutputStream command = new ByteArrayOutputStream();
  private AttributeList commandSet;
  private byte contextId;
  private OutputStream spool;
  private Path spoolFile;
  private long dataBytes;
  private boolean tooLarge;

  RequestReader(Path spoolDir, long maxDataBytes) {
    this.spoolDir = spoolDir;
    this.maxDataBytes = maxDataBytes;
  }

  @Override
  public void sendPDataIndication(PDataPDU pdata, Association association)
      throws DicomNetworkException, DicomException, IOException {
    for (Object value : pdata.getPDVList()) {
      PresentationDataValue pdv = (PresentationDataValue) value;
      contextId = pdv.getPresentationContextID();
      if (pdv.isCommand()) {
        commandFragment(pdv);
      } else {
        dataFragment(pdv, association);
      }
    }
  }

  @Override
  protected void evaluateStatusAndSetSuccess(AttributeList list) {
    // Never called: sendPDataIndication is replaced and this handler reads requests, not responses.
  }

  /** The command set, once its last fragment has arrived. */
  AttributeList commandSet() {
    return commandSet;
  }

  int commandField() {
    return Attribute.getSingleIntegerValueOrDefault(commandSet, TagFromName.CommandField, 0xffff);
  }

  byte contextId() {
    return contextId;
  }

  /** The spooled Part 10 file of a C-STORE-RQ, or null when no data set was written. */
  Path spoolFile() {
    return spoolFile;
  }

  /** Whether the data set exceeded the limit (its spool file is then gone). */
  boolean tooLarge() {
    return tooLarge;
  }

  private void commandFragment(PresentationDataValue pdv) throws DicomNetworkException {
    if (commandSet != null || command.size() + pdv.getValue().length > MAX_COMMAND_BYTES) {
      throw new DicomNetworkException("unexpected or oversized command fragment");
    }
    command.writeBytes(pdv.getValue());
    if (pdv.isLastFragment()) {
      commandSet = parseCommand(command.toByteArray());
      if (commandField() != MessageServiceElementCommand.C_STORE_RQ) {
        setDone(true);
      }
    }
  }

  private static AttributeList parseCommand(byte[] bytes) throws DicomNetworkException {
    AttributeList list = new AttributeList();
    try {
      list.read(
          new DicomInputStream(new ByteArrayInputStream(bytes), TransferSyntax.Default, false));
      return list;
    } catch (IOException | DicomException e) {
      throw new DicomNetworkException("command set cannot be read: " + e.getMessage());
    }
  }

  private void dataFragment(PresentationDataValue pdv, Association association)
      throws DicomNetworkException, DicomException, IOException {
    if (commandSet == null || commandField() != MessageServiceElementCommand.C_STORE_RQ) {
      throw new DicomNetworkException("data set fragment without a C-STORE-RQ command");
    }
    byte[] bytes = pdv.getValue();
    dataBytes += bytes.length;
    if (!tooLarge && dataBytes > maxDataBytes) {
      discardSpool();
    }
    if (!tooLarge) {
      openSpool(association).write(bytes);
    }
    if (pdv.isLastFragment()) {
      closeSpool();
      setDone(true);
    }
  }

  private OutputStream openSpool(Association association)
      throws IOException, DicomException, DicomNetworkException {
    if (spool == null) {
      spoolFile = spoolDir.resolve(UUID.randomUUID() + ".part");
      spool =
          new BufferedOutputStream(
              Files.newOutputStream(spoolFile, StandardOpenOption.CREATE_NEW), 1 << 16);
      writeMeta(association);
    }
    return spool;
  }

  private void writeMeta(Association association)
      throws IOException, DicomException, DicomNetworkException {
    String syntax = association.getTransferSyntaxForPresentationContextID(contextId);
    FileMetaInformation meta =
        new FileMetaInformation(
            Attribute.getSingleStringValueOrEmptyString(
                commandSet, TagFromName.AffectedSOPClassUID),
            Attribute.getSingleStringValueOrEmptyString(
                commandSet, TagFromName.AffectedSOPInstanceUID),
            syntax,
            null);
    DicomOutputStream out =
        new DicomOutputStream(spool, TransferSyntax.ExplicitVRLittleEndian, null);
    meta.getAttributeList().write(out);
    out.flush();
  }

  private void discardSpool() throws IOException {
    tooLarge = true;
    closeSpool();
    deleteSpool();
  }

  private void closeSpool() throws IOException {
    if (spool != null) {
      spool.close();
      spool = null;
    }
  }

  /** Closes and deletes the spool file, if any (after an abort, or once it has been stored). */
  void deleteSpool() throws IOException {
    closeSpool();
    if (spoolFile != null) {
      Files.deleteIfExists(spoolFile);
      spoolFile = null;
    }
  }
}
