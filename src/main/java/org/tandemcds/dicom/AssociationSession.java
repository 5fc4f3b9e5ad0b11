package org.tandemcds.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CEchoResponseCommandMessage;
import com.pixelmed.network.CStoreResponseCommandMessage;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.MessageServiceElementCommand;
import java.io.IOException;
import java.net.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one TCP connection: PixelMed negotiates the association ({@link StorageContexts}), a
 * calling AE title outside the allowlist is aborted before any request is read, then C-ECHO-RQ and
 * C-STORE-RQ are answered one by one until the peer releases. Anything else the peer does (garbage,
 * abort, a dropped connection, an unknown command) ends this association only; its spool file is
 * deleted and the socket closed.
 */
final class AssociationSession implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(AssociationSession.class);

  private final Socket socket;
  private final ReceiverConfig config;
  private final InstanceIntake intake;
  private final StorageContexts contexts = new StorageContexts();

  AssociationSession(Socket socket, ReceiverConfig config, InstanceIntake intake) {
    this.socket = socket;
    this.config = config;
    this.intake = intake;
  }

  @Override
  public void run() {
    String peer = String.valueOf(socket.getRemoteSocketAddress());
    try (socket) {
      serve(AssociationFactory.createNewAssociation(socket, config.aeTitle(), contexts), peer);
    } catch (DicomNetworkException | DicomException | IOException | RuntimeException e) {
      log.warn("{}: association ended abnormally: {}", peer, e.toString());
    }
  }

  private void serve(Association association, String peer)
      throws DicomNetworkException, DicomException, IOException {
    String callingAe = association.getCallingAETitle().trim();
    if (!config.allows(callingAe)) {
      log.warn("{}: A-ABORT: calling AE title {} is not allowed", peer, callingAe);
      association.abort();
      return;
    }
    log.info("{}: A-ASSOCIATE-AC to {}", peer, callingAe);
    try {
      while (true) {
        answerOneRequest(association, callingAe);
      }
    } catch (AReleaseException e) {
      log.info("{}: A-RELEASE-RQ from {}", peer, callingAe);
    }
  }

  private void answerOneRequest(Association association, String callingAe)
      throws DicomNetworkException, DicomException, IOException, AReleaseException {
    RequestReader request = new RequestReader(config.spoolDir(), config.maxInstanceBytes());
    try {
      association.setReceivedDataHandler(request);
      association.waitForPDataPDUsUntilHandlerReportsDone();
      association.send(request.contextId(), response(request, association, callingAe), null);
    } finally {
      request.deleteSpool();
    }
  }

  private byte[] response(RequestReader request, Association association, String callingAe)
      throws DicomNetworkException, DicomException, IOException {
    int command = request.commandField();
    String sopClass = value(request, TagFromName.AffectedSOPClassUID);
    int messageId = messageId(request);
    if (command == MessageServiceElementCommand.C_ECHO_RQ) {
      log.info("{}: C-ECHO-RQ from {}", association.getCalledAETitle().trim(), callingAe);
      return new CEchoResponseCommandMessage(sopClass, messageId, DimseStatus.SUCCESS).getBytes();
    }
    if (command != MessageServiceElementCommand.C_STORE_RQ) {
      throw new DicomNetworkException(
          "unsupported command " + MessageServiceElementCommand.toString(command));
    }
    String sopInstance = value(request, TagFromName.AffectedSOPInstanceUID);
    int status = storeStatus(request, sopClass, sopInstance, callingAe);
    return new CStoreResponseCommandMessage(sopClass, sopInstance, messageId, status).getBytes();
  }

  private int storeStatus(
      RequestReader request, String sopClass, String sopInstance, String callingAe) {
    log.info("{}: C-STORE-RQ {} from {}", config.aeTitle(), sopInstance, callingAe);
    if (!StorageContexts.IMAGE_STORAGE.contains(sopClass)) {
      return DimseStatus.SOP_CLASS_NOT_SUPPORTED;
    }
    if (request.tooLarge() || request.spoolFile() == null) {
      return DimseStatus.OUT_OF_RESOURCES;
    }
    int status = intake.take(request.spoolFile(), sopClass, sopInstance, callingAe);
    log.info(
        "{}: C-STORE-RSP {} status {}", config.aeTitle(), sopInstance, Integer.toHexString(status));
    return status;
  }

  private static String value(RequestReader request, com.pixelmed.dicom.AttributeTag tag) {
    return Attribute.getSingleStringValueOrEmptyString(request.commandSet(), tag).trim();
  }

  private static int messageId(RequestReader request) {
    return Attribute.getSingleIntegerValueOrDefault(request.commandSet(), TagFromName.MessageID, 0);
  }
}
