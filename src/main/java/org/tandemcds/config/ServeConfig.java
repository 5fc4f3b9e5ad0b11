package org.tandemcds.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tandemcds.dicom.DicomDestination;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Everything {@code tandem serve} runs with; built by {@link ConfigSources} from a properties file,
 * {@code TANDEM_*} environment variables and flags (keys and defaults in docs/api.md).
 *
 * @param host address to bind (loopback by default; any other needs TLS and authentication)
 * @param port TCP port; 0 for an ephemeral port
 * @param dataDir where studies, the embedded database and work folders live
 * @param jdbcUrl a database URL (PostgreSQL to share the queue among processes); empty: the
 *     embedded H2 file database in {@code dataDir}
 * @param quietTime how long a study must receive nothing before it is analysed
 * @param noteWindow how far before the StudyDate a stored note is paired with the study
 * @param auth {@code none} (loopback only: the ingest routes take anonymous calls) or {@code
 *     bearer} (every ingest and analysis call needs a system client's scoped bearer token)
 * @param dicomDestinations the PACS every analysis of a stored study sends its DICOM results to
 *     (Tandem calls them with {@code dicomAeTitle})
 * @param dicomDelivery how often the outbox is drained and how a refused or unreachable destination
 *     is retried
 */
public record ServeConfig(
    String host,
    int port,
    Path dataDir,
    Optional<String> jdbcUrl,
    String dbUser,
    String dbPassword,
    int dbPool,
    int workers,
    Duration quietTime,
    Duration noteWindow,
    Duration lease,
    int maxAttempts,
    Duration retryBackoff,
    Duration retryBackoffMax,
    long maxStowBytes,
    long maxInstanceBytes,
    long maxFhirBytes,
    int maxJsonDepth,
    Duration syncTimeout,
    Optional<Path> tlsKeystore,
    String tlsKeystorePassword,
    String auth,
    String modelVersion,
    String processId,
    Map<String, String> cdsHooksIssuers,
    Optional<String> publicBaseUrl,
    Duration sessionLifetime,
    int dicomPort,
    String dicomAeTitle,
    Set<String> dicomAllowedCallers,
    List<DicomDestination> dicomDestinations,
    Delivery dicomDelivery,
    Optional<Ehr> ehr) {

  /**
   * The EHR's FHIR server that a PACS-triggered study's notes are fetched from when Tandem holds
   * none (configured by {@code ehr-fhir-base-url}).
   *
   * @param baseUrl its FHIR base URL
   * @param auth {@code bearer} (a static token) or {@code smart-backend} (SMART Backend Services,
   *     {@code private_key_jwt})
   * @param bearerToken the static token ({@code bearer})
   * @param tokenUrl the token endpoint ({@code smart-backend})
   * @param clientId Tandem's client id at the EHR ({@code smart-backend})
   * @param privateKey PEM (PKCS#8) private key file signing the client assertion ({@code
   *     smart-backend})
   * @param keyId the key's {@code kid}, may be empty
   * @param algorithm {@code RS384} or {@code ES384}
   * @param scope the scopes asked for
   * @param patientSystem the identifier system a PatientID is searched under when its Issuer of
   *     Patient ID is not mapped (empty: by value alone)
   * @param attempts how many times an unreachable EHR is tried before image-only
   * @param backoff the wait after the first failed attempt, doubled after each further one
   * @param timeout connect and read timeout of each request
   */
  public record Ehr(
      String baseUrl,
      String auth,
      String bearerToken,
      String tokenUrl,
      String clientId,
      Optional<Path> privateKey,
      String keyId,
      String algorithm,
      String scope,
      String patientSystem,
      int attempts,
      Duration backoff,
      Duration timeout) {

    @Override
    public String toString() {
      return "Ehr[" + baseUrl + ", auth=" + auth + "]";
    }
  }

  /**
   * How results reach the PACS destinations.
   *
   * @param interval how often the background deliverer drains the outbox
   * @param maxAttempts attempts per object before it is given up (kept in the outbox for an
   *     operator)
   * @param backoff the first retry delay, doubled each attempt
   * @param backoffMax the longest retry delay
   */
  public record Delivery(
      Duration interval, int maxAttempts, Duration backoff, Duration backoffMax) {}

  /** The values of {@code auth}. */
  public static final List<String> AUTH_SCHEMES = List.of("none", "bearer");

  /** The defaults, before any file, variable or flag. */
  public static final Map<String, String> DEFAULTS =
      Map.ofEntries(
          Map.entry("host", "127.0.0.1"),
          Map.entry("port", "8080"),
          Map.entry("data-dir", "./data"),
          Map.entry("jdbc-url", ""),
          Map.entry("db-user", ""),
          Map.entry("db-password", ""),
          Map.entry("db-pool", "8"),
          Map.entry("workers", "2"),
          Map.entry("quiet-time", "30s"),
          Map.entry("note-window", "30d"),
          Map.entry("lease", "60s"),
          Map.entry("max-attempts", "3"),
          Map.entry("retry-backoff", "5s"),
          Map.entry("retry-backoff-max", "5m"),
          Map.entry("max-stow-bytes", String.valueOf(4L << 30)),
          Map.entry("max-instance-bytes", String.valueOf(1L << 30)),
          Map.entry("max-fhir-bytes", String.valueOf(20_000_000L)),
          Map.entry("max-json-depth", "64"),
          Map.entry("sync-timeout", "60s"),
          Map.entry("tls-keystore", ""),
          Map.entry("tls-keystore-password", ""),
          Map.entry("auth", "none"),
          Map.entry("model-version", "tandem-0.1.0"),
          Map.entry("process-id", ""),
          Map.entry("cds-hooks-issuers", ""),
          Map.entry("public-base-url", ""),
          Map.entry("session-lifetime", "8h"),
          Map.entry("dicom-port", "11112"),
          Map.entry("dicom-ae-title", "TANDEM"),
          Map.entry("dicom-allowed-callers", ""),
          Map.entry("dicom-destinations", ""),
          Map.entry("dicom-delivery-interval", "2s"),
          Map.entry("dicom-delivery-attempts", "30"),
          Map.entry("dicom-delivery-backoff", "10s"),
          Map.entry("dicom-delivery-backoff-max", "15m"),
          Map.entry("ehr-fhir-base-url", ""),
          Map.entry("ehr-auth", "bearer"),
          Map.entry("ehr-bearer-token", ""),
          Map.entry("ehr-token-url", ""),
          Map.entry("ehr-client-id", ""),
          Map.entry("ehr-private-key", ""),
          Map.entry("ehr-key-id", ""),
          Map.entry("ehr-jwt-algorithm", "RS384"),
          Map.entry("ehr-scope", "system/DocumentReference.read"),
          Map.entry("ehr-patient-identifier-system", ""),
          Map.entry("ehr-attempts", "3"),
          Map.entry("ehr-backoff", "2s"),
          Map.entry("ehr-timeout", "10s"));

  /**
   * Reads every key of {@code values} (defaults filled in by {@link ConfigSources}).
   *
   * @throws CdsException {@link ErrorCode#CONFIG_INVALID} for a malformed value, {@link
   *     ErrorCode#CONFIG_INSECURE_BIND} for a non-loopback host without TLS and authentication
   */
  public static ServeConfig of(Map<String, String> values) {
    Values v = new Values(values);
    ServeConfig config =
        new ServeConfig(
            v.text("host"),
            v.integer("port", 0, 65535),
            Path.of(v.text("data-dir")),
            v.optional("jdbc-url"),
            v.raw("db-user"),
            v.raw("db-password"),
            v.integer("db-pool", 1, 200),
            v.integer("workers", 1, 256),
            v.duration("quiet-time"),
            v.duration("note-window"),
            v.duration("lease"),
            v.integer("max-attempts", 1, 100),
            v.duration("retry-backoff"),
            v.duration("retry-backoff-max"),
            v.bytes("max-stow-bytes"),
            v.bytes("max-instance-bytes"),
            v.bytes("max-fhir-bytes"),
            v.integer("max-json-depth", 2, 1000),
            v.duration("sync-timeout"),
            v.optional("tls-keystore").map(Path::of),
            v.raw("tls-keystore-password"),
            auth(v.text("auth")),
            v.text("model-version"),
            v.optional("process-id").orElseGet(ServeConfig::defaultProcessId),
            issuers(v.raw("cds-hooks-issuers")),
            v.optional("public-base-url"),
            v.duration("session-lifetime"),
            v.integer("dicom-port", -1, 65535),
            v.text("dicom-ae-title"),
            callers(v.raw("dicom-allowed-callers")),
            destinations(v.raw("dicom-destinations"), v.text("dicom-ae-title")),
            new Delivery(
                v.duration("dicom-delivery-interval"),
                v.integer("dicom-delivery-attempts", 1, 1000),
                v.duration("dicom-delivery-backoff"),
                v.duration("dicom-delivery-backoff-max")),
            ehr(v));
    config.requireSafeBind();
    return config;
  }

  /**
   * The CDS Hooks issuer allowlist, {@code iss=jwksUrl} pairs separated by commas (the JWKS URL is
   * where that EHR's keys are fetched; a token's own {@code jku} is never followed).
   */
  private static Map<String, String> issuers(String raw) {
    Map<String, String> issuers = new java.util.LinkedHashMap<>();
    for (String pair : raw.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new CdsException(
            ErrorCode.CONFIG_INVALID,
            "cds-hooks-issuers takes iss=jwksUrl pairs separated by commas");
      }
      issuers.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
    }
    return Map.copyOf(issuers);
  }

  private static String auth(String scheme) {
    if (!AUTH_SCHEMES.contains(scheme)) {
      throw new CdsException(
          ErrorCode.CONFIG_INVALID, "auth is one of " + AUTH_SCHEMES + ", not '" + scheme + "'");
    }
    return scheme;
  }

  /** Calling AE titles allowed to send, comma-separated; empty allows any caller. */
  private static Set<String> callers(String raw) {
    Set<String> callers = new java.util.LinkedHashSet<>();
    for (String ae : raw.split(",")) {
      if (!ae.isBlank()) {
        callers.add(ae.strip());
      }
    }
    return Set.copyOf(callers);
  }

  /**
   * The PACS destinations, comma-separated {@code [name=]AE@host:port} (the name keys the outbox
   * and defaults to the AE title; give one when the AE title has characters other than letters,
   * digits, {@code _} and {@code -}).
   */
  private static List<DicomDestination> destinations(String raw, String callingAeTitle) {
    List<DicomDestination> destinations = new java.util.ArrayList<>();
    for (String entry : raw.split(",")) {
      if (!entry.isBlank()) {
        destinations.add(destination(entry.strip(), callingAeTitle));
      }
    }
    if (destinations.stream().map(DicomDestination::name).distinct().count()
        < destinations.size()) {
      throw new CdsException(
          ErrorCode.CONFIG_INVALID, "dicom-destinations: two destinations have the same name");
    }
    return List.copyOf(destinations);
  }

  private static DicomDestination destination(String entry, String callingAeTitle) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(?:([^=@]+)=)?([^=@]+)@([^@:]+):(\\d{1,5})")
            .matcher(entry);
    if (!m.matches()) {
      throw new CdsException(
          ErrorCode.CONFIG_INVALID,
          "dicom-destinations takes [name=]AE@host:port entries separated by commas, got '"
              + entry
              + "'");
    }
    String ae = m.group(2).strip();
    String name = m.group(1) == null ? ae : m.group(1).strip();
    try {
      return new DicomDestination(
          name, m.group(3).strip(), Integer.parseInt(m.group(4)), ae, callingAeTitle);
    } catch (CdsException e) {
      throw new CdsException(ErrorCode.CONFIG_INVALID, "dicom-destinations: " + e.detail(), e);
    }
  }

  private static Optional<Ehr> ehr(Values v) {
    Optional<String> baseUrl = v.optional("ehr-fhir-base-url");
    if (baseUrl.isEmpty()) {
      return Optional.empty();
    }
    String auth = v.text("ehr-auth");
    if (!auth.equals("bearer") && !auth.equals("smart-backend")) {
      throw new CdsException(ErrorCode.CONFIG_INVALID, "ehr-auth is bearer or smart-backend");
    }
    List<String> needed =
        auth.equals("bearer")
            ? List.of("ehr-bearer-token")
            : List.of("ehr-token-url", "ehr-client-id", "ehr-private-key");
    for (String key : needed) {
      v.text(key);
    }
    String algorithm = v.text("ehr-jwt-algorithm");
    if (!algorithm.equals("RS384") && !algorithm.equals("ES384")) {
      throw new CdsException(ErrorCode.CONFIG_INVALID, "ehr-jwt-algorithm is RS384 or ES384");
    }
    return Optional.of(
        new Ehr(
            baseUrl.get(),
            auth,
            v.raw("ehr-bearer-token"),
            v.raw("ehr-token-url"),
            v.raw("ehr-client-id"),
            v.optional("ehr-private-key").map(Path::of),
            v.raw("ehr-key-id"),
            algorithm,
            v.text("ehr-scope"),
            v.raw("ehr-patient-identifier-system"),
            v.integer("ehr-attempts", 1, 100),
            v.duration("ehr-backoff"),
            v.duration("ehr-timeout")));
  }

  /** Whether the DICOM C-STORE receiver runs ({@code dicom-port} −1 turns it off). */
  public boolean dicomReceiver() {
    return dicomPort >= 0;
  }

  /** Whether TLS is configured. */
  public boolean tls() {
    return tlsKeystore.isPresent();
  }

  /** Whether an authentication scheme is configured ({@code bearer}). */
  public boolean authenticated() {
    return !"none".equals(auth);
  }

  private void requireSafeBind() {
    if (!loopback(host) && !(tls() && authenticated())) {
      throw new CdsException(
          ErrorCode.CONFIG_INSECURE_BIND,
          "host "
              + host
              + " is not a loopback address: configure tls-keystore and auth, or bind 127.0.0.1");
    }
  }

  private static boolean loopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      throw new CdsException(ErrorCode.CONFIG_INVALID, "host " + host + " cannot be resolved", e);
    }
  }

  private static String defaultProcessId() {
    String hostName;
    try {
      hostName = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      hostName = "host";
    }
    return hostName + "-" + ProcessHandle.current().pid();
  }

  @Override
  public String toString() {
    return "ServeConfig[host="
        + host
        + ", port="
        + port
        + ", dataDir="
        + dataDir
        + ", database="
        + jdbcUrl.map(u -> u.replaceAll("\\?.*$", "")).orElse("embedded")
        + ", workers="
        + workers
        + ", quietTime="
        + quietTime
        + ", tls="
        + tls()
        + ", auth="
        + auth
        + ", dicomDestinations="
        + dicomDestinations.stream().map(DicomDestination::name).toList()
        + ", ehr="
        + ehr.map(Ehr::toString).orElse("none")
        + "]";
  }

  /** Typed reads of the merged values; every error names the key, never a secret value. */
  private record Values(Map<String, String> values) {
    String raw(String key) {
      return values.getOrDefault(key, DEFAULTS.getOrDefault(key, "")).strip();
    }

    String text(String key) {
      String value = raw(key);
      if (value.isEmpty()) {
        throw invalid(key, "must not be empty");
      }
      return value;
    }

    Optional<String> optional(String key) {
      String value = raw(key);
      return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    int integer(String key, int min, int max) {
      try {
        int value = Integer.parseInt(text(key));
        if (value < min || value > max) {
          throw invalid(key, "must be in " + min + ".." + max);
        }
        return value;
      } catch (NumberFormatException e) {
        throw invalid(key, "is not an integer");
      }
    }

    long bytes(String key) {
      try {
        long value = Long.parseLong(text(key));
        if (value < 1) {
          throw invalid(key, "must be positive");
        }
        return value;
      } catch (NumberFormatException e) {
        throw invalid(key, "is not a number of bytes");
      }
    }

    Duration duration(String key) {
      String value = text(key).toLowerCase(java.util.Locale.ROOT);
      try {
        if (value.startsWith("p")) {
          return Duration.parse(value.toUpperCase(java.util.Locale.ROOT));
        }
        if (value.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        long n = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (value.charAt(value.length() - 1)) {
          case 's' -> Duration.ofSeconds(n);
          case 'm' -> Duration.ofMinutes(n);
          case 'h' -> Duration.ofHours(n);
          case 'd' -> Duration.ofDays(n);
          default -> throw invalid(key, "needs a unit: ms, s, m, h or d");
        };
      } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
        throw invalid(key, "is not a duration such as 500ms, 30s, 5m, 2h, 30d or PT30S");
      }
    }

    private static CdsException invalid(String key, String why) {
      return new CdsException(ErrorCode.CONFIG_INVALID, key + " " + why);
    }
  }
}
