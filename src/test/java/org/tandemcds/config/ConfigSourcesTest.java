package org.tandemcds.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tandemcds.dicom.DicomDestination;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

class ConfigSourcesTest {
  @TempDir Path dir;

  private static ServeConfig config(
      Optional<Path> file, Map<String, String> env, Map<String, String> flags) {
    return ServeConfig.of(ConfigSources.merge(file, env, flags));
  }

  @Test
  void flags_win_over_environment_which_wins_over_the_file_which_wins_over_defaults()
      throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("tandem.properties"), "port = 9000\nworkers = 3\nquiet-time = 2m\n");
    ServeConfig config =
        config(
            Optional.of(file),
            Map.of("TANDEM_WORKERS", "5", "TANDEM_NOTE_WINDOW", "PT48H", "HOME", "/root"),
            Map.of("workers", "7"));
    assertThat(config.port()).isEqualTo(9000);
    assertThat(config.workers()).isEqualTo(7);
    assertThat(config.quietTime()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.noteWindow()).isEqualTo(Duration.ofHours(48));
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.jdbcUrl()).isEmpty();
    assertThat(config.lease()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void durations_take_milliseconds_to_days_and_iso_8601() {
    assertThat(config(Optional.empty(), Map.of(), Map.of("quiet-time", "250ms")).quietTime())
        .isEqualTo(Duration.ofMillis(250));
    assertThat(config(Optional.empty(), Map.of(), Map.of("quiet-time", "3h")).quietTime())
        .isEqualTo(Duration.ofHours(3));
    assertThat(config(Optional.empty(), Map.of(), Map.of("note-window", "7d")).noteWindow())
        .isEqualTo(Duration.ofDays(7));
    assertCode(
        () -> config(Optional.empty(), Map.of(), Map.of("quiet-time", "30")),
        ErrorCode.CONFIG_INVALID,
        "quiet-time");
    assertCode(
        () -> config(Optional.empty(), Map.of(), Map.of("port", "70000")),
        ErrorCode.CONFIG_INVALID,
        "port");
  }

  @Test
  void an_unknown_key_is_refused_wherever_it_comes_from() throws Exception {
    Path file = Files.writeString(dir.resolve("bad.properties"), "prot = 9000\n");
    assertCode(
        () -> config(Optional.of(file), Map.of(), Map.of()), ErrorCode.CONFIG_INVALID, "prot");
    assertCode(
        () -> config(Optional.empty(), Map.of(), Map.of("wrokers", "2")),
        ErrorCode.CONFIG_INVALID,
        "wrokers");
  }

  @Test
  void a_non_loopback_address_needs_tls_and_authentication() {
    assertCode(
        () -> config(Optional.empty(), Map.of("TANDEM_HOST", "0.0.0.0"), Map.of()),
        ErrorCode.CONFIG_INSECURE_BIND,
        "0.0.0.0");
    assertCode(
        () ->
            config(Optional.empty(), Map.of(), Map.of("host", "0.0.0.0", "tls-keystore", "/k.p12")),
        ErrorCode.CONFIG_INSECURE_BIND,
        "0.0.0.0");
    ServeConfig open =
        config(
            Optional.empty(),
            Map.of(),
            Map.of("host", "0.0.0.0", "tls-keystore", "/k.p12", "auth", "bearer"));
    assertThat(open.tls()).isTrue();
    assertThat(open.authenticated()).isTrue();
    assertThat(config(Optional.empty(), Map.of(), Map.of("host", "localhost")).host())
        .isEqualTo("localhost");
  }

  @Test
  void auth_is_none_or_bearer_and_anything_else_is_refused() {
    assertThat(config(Optional.empty(), Map.of(), Map.of()).authenticated()).isFalse();
    assertThat(config(Optional.empty(), Map.of("TANDEM_AUTH", "bearer"), Map.of()).authenticated())
        .isTrue();
    assertCode(
        () -> config(Optional.empty(), Map.of(), Map.of("auth", "basic")),
        ErrorCode.CONFIG_INVALID,
        "auth");
    assertCode(
        () ->
            config(
                Optional.empty(),
                Map.of(),
                Map.of("host", "0.0.0.0", "tls-keystore", "/k.p12", "auth", "Bearer")),
        ErrorCode.CONFIG_INVALID,
        "auth");
  }

  @Test
  void the_description_of_a_config_names_no_password() {
    ServeConfig config =
        config(
            Optional.empty(),
            Map.of(),
            Map.of(
                "jdbc-url",
                "jdbc:postgresql://db/tandem?password=s3cret",
                "db-password",
                "s3cret",
                "tls-keystore-password",
                "s3cret"));
    assertThat(config.toString()).doesNotContain("s3cret").contains("jdbc:postgresql://db/tandem");
  }

  @Test
  void dicom_destinations_are_read_from_file_environment_and_flags_alike() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("tandem.properties"),
            "dicom-destinations = PACS1@10.0.0.5:104, archive=ARCH 2@pacs.example.org:11112\n");
    ServeConfig fromFile = config(Optional.of(file), Map.of(), Map.of());
    assertThat(fromFile.dicomDestinations())
        .containsExactly(
            new DicomDestination("PACS1", "10.0.0.5", 104, "PACS1", "TANDEM"),
            new DicomDestination("archive", "pacs.example.org", 11112, "ARCH 2", "TANDEM"));
    ServeConfig fromEnvironment =
        config(
            Optional.of(file),
            Map.of(
                "TANDEM_DICOM_DESTINATIONS", "ORTHANC@127.0.0.1:4242",
                "TANDEM_DICOM_AE_TITLE", "TANDEM_AI"),
            Map.of("dicom-delivery-backoff", "1s"));
    assertThat(fromEnvironment.dicomDestinations())
        .containsExactly(
            new DicomDestination("ORTHANC", "127.0.0.1", 4242, "ORTHANC", "TANDEM_AI"));
    assertThat(fromEnvironment.dicomDelivery())
        .isEqualTo(
            new ServeConfig.Delivery(
                Duration.ofSeconds(2), 30, Duration.ofSeconds(1), Duration.ofMinutes(15)));
    assertThat(config(Optional.empty(), Map.of(), Map.of()).dicomDestinations()).isEmpty();
  }

  @Test
  void a_malformed_or_repeated_dicom_destination_is_a_configuration_error() {
    for (String bad :
        new String[] {
          "PACS1@10.0.0.5", "PACS1:104", "PACS1@host:0", "A@h:1,A@g:2", "SEVENTEEN_CHARS_AE@h:104"
        }) {
      assertCode(
          () -> config(Optional.empty(), Map.of(), Map.of("dicom-destinations", bad)),
          ErrorCode.CONFIG_INVALID,
          "dicom-destinations");
    }
  }

  private static void assertCode(Runnable call, ErrorCode code, String mention) {
    assertThatThrownBy(call::run)
        .isInstanceOf(CdsException.class)
        .satisfies(e -> assertThat(((CdsException) e).code()).isEqualTo(code))
        .hasMessageContaining(mention);
  }
}
