package org.tandemcds.dicom;

import java.nio.file.Path;
import java.util.Set;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * How a {@link StorageReceiver} listens.
 *
 * @param bindAddress the local address to listen on (an IP literal or host name)
 * @param port the TCP port; 0 picks any free port (read it back with {@link
 *     StorageReceiver#port()})
 * @param aeTitle our AE title (the called AE title peers address)
 * @param allowedCallingAeTitles calling AE titles accepted; empty accepts any
 * @param spoolDir where received data sets are written before they go into the study store
 * @param maxInstanceBytes largest data set accepted; larger ones get status A700
 * @param maxAssociations how many associations are served at once; more wait for a free worker
 */
public record ReceiverConfig(
    String bindAddress,
    int port,
    String aeTitle,
    Set<String> allowedCallingAeTitles,
    Path spoolDir,
    long maxInstanceBytes,
    int maxAssociations) {

  public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
  public static final int DEFAULT_PORT = 11112;
  public static final String DEFAULT_AE_TITLE = "TANDEM";

  public ReceiverConfig {
    allowedCallingAeTitles = Set.copyOf(allowedCallingAeTitles);
    if (port < 0 || port > 65535 || maxInstanceBytes <= 0 || maxAssociations <= 0) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "receiver port or limits out of range");
    }
    if (aeTitle == null || aeTitle.isBlank() || aeTitle.length() > 16) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "AE title must be 1 to 16 characters");
    }
  }

  /** 127.0.0.1:11112, AE title TANDEM, any calling AE, 1 GiB per instance, 16 associations. */
  public static ReceiverConfig defaults(Path spoolDir) {
    return new ReceiverConfig(
        DEFAULT_BIND_ADDRESS, DEFAULT_PORT, DEFAULT_AE_TITLE, Set.of(), spoolDir, 1L << 30, 16);
  }

  public ReceiverConfig withPort(int newPort) {
    return new ReceiverConfig(
        bindAddress,
        newPort,
        aeTitle,
        allowedCallingAeTitles,
        spoolDir,
        maxInstanceBytes,
        maxAssociations);
  }

  public ReceiverConfig withAllowedCallingAeTitles(Set<String> allowed) {
    return new ReceiverConfig(
        bindAddress, port, aeTitle, allowed, spoolDir, maxInstanceBytes, maxAssociations);
  }

  boolean allows(String callingAeTitle) {
    return allowedCallingAeTitles.isEmpty()
        || allowedCallingAeTitles.contains(callingAeTitle.trim());
  }
}
