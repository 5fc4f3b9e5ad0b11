package org.tandemcds.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;
import org.tandemcds.domain.ErrorCode;

/**
 * Tandem's operational metrics in Prometheus text format (through Micrometer): analysis time per
 * stage, analyses by mode, errors by code, bytes received, and gauges registered by their owners
 * (queue depth by state). Labels never carry patient data. Thread-safe; one per process.
 */
public final class Metrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** Records that stage {@code stage} of one analysis took {@code nanos}. */
  public void stageTime(String stage, long nanos) {
    Timer.builder("tandem.analysis.stage")
        .description("time per pipeline stage of one analysis")
        .tag("stage", stage)
        .register(registry)
        .record(Duration.ofNanos(nanos));
  }

  /** Records one finished analysis in {@code mode} ({@code image+note}, ...). */
  public void analysis(String mode) {
    Counter.builder("tandem.analyses").tag("mode", mode).register(registry).increment();
  }

  /** Records one coded error, wherever it was reported. */
  public void error(ErrorCode code) {
    Counter.builder("tandem.errors")
        .description("coded errors reported, by TDM code")
        .tag("code", code.code())
        .register(registry)
        .increment();
  }

  /** Adds {@code bytes} received through {@code channel} ({@code stow}, {@code fhir}). */
  public void received(String channel, long bytes) {
    Counter.builder("tandem.received.bytes")
        .tag("channel", channel)
        .register(registry)
        .increment(bytes);
  }

  /** Registers a gauge read on every scrape, e.g. the queue depth for one job state. */
  public void gauge(String name, String tagKey, String tagValue, Supplier<Number> value) {
    Gauge.builder(name, value).tag(tagKey, tagValue).strongReference(true).register(registry);
  }

  /** Every metric in the Prometheus text exposition format. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    registry.close();
  }
}
