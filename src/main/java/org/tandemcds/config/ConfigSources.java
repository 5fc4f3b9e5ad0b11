package org.tandemcds.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Merges the three sources of {@link ServeConfig}, later ones winning: the defaults, a properties
 * file ({@code key = value}, keys as in {@link ServeConfig#DEFAULTS}), environment variables
 * ({@code TANDEM_} + the key in upper case with {@code _} for {@code -}, e.g. {@code
 * TANDEM_QUIET_TIME}), then flags ({@code --key value} / {@code --set key=value}).
 */
public final class ConfigSources {
  private ConfigSources() {}

  /**
   * The merged values.
   *
   * @throws CdsException {@link ErrorCode#CONFIG_INVALID} for an unknown key or unreadable file
   */
  public static Map<String, String> merge(
      Optional<Path> file, Map<String, String> environment, Map<String, String> flags) {
    Map<String, String> merged = new HashMap<>(ServeConfig.DEFAULTS);
    file.ifPresent(f -> putAll(merged, read(f), f.toString()));
    putAll(merged, fromEnvironment(environment), "environment");
    putAll(merged, flags, "flags");
    return merged;
  }

  /**
   * The defaults with {@code flags} over them: no file, no environment (benchmarks and tests that
   * start a server with a few settings).
   *
   * @throws CdsException {@link ErrorCode#CONFIG_INVALID} for an unknown key
   */
  public static Map<String, String> flags(Map<String, String> flags) {
    return merge(Optional.empty(), Map.of(), flags);
  }

  /** The {@code TANDEM_*} variables of {@code environment} as configuration keys. */
  static Map<String, String> fromEnvironment(Map<String, String> environment) {
    Map<String, String> values = new HashMap<>();
    for (String key : ServeConfig.DEFAULTS.keySet()) {
      String variable = "TANDEM_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
      if (environment.containsKey(variable)) {
        values.put(key, environment.get(variable));
      }
    }
    return values;
  }

  private static Map<String, String> read(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new CdsException(
          ErrorCode.CONFIG_INVALID, "cannot read " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> values = new HashMap<>();
    properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k)));
    return values;
  }

  private static void putAll(Map<String, String> merged, Map<String, String> values, String from) {
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!ServeConfig.DEFAULTS.containsKey(e.getKey())) {
        throw new CdsException(
            ErrorCode.CONFIG_INVALID, "unknown key '" + e.getKey() + "' in " + from);
      }
      merged.put(e.getKey(), e.getValue());
    }
  }
}
