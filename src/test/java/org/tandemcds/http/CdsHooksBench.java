package org.tandemcds.http;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tandemcds.fhir.TestReportBundles;

/**
 * BENCHMARK, not a test: CDS Hooks {@code patient-view} on loopback with stored suggestions and 32
 * (or N) concurrent clients, each request with its own JWT signed before timing. One run measures
 * the same server twice, side by side:
 *
 * <ol>
 *   <li><b>in-JVM</b>: N JDK {@code HttpClient} threads in the server's own JVM (their CPU competes
 *       with the server's on the same cores);
 *   <li><b>wrk</b>: {@code wrk -t2 -cN -d<s>s --latency} in a separate process, with {@code
 *       src/test/resources/bench/cds-hooks-wrk.lua} handing out pre-signed tokens, each once.
 * </ol>
 *
 * Prints p50/p95/p99 latency, throughput, the load average before and after each, and the JVM's CPU
 * time per call (in the wrk run the server's alone; in the in-JVM run with its clients) as a
 * Markdown table. Run as docs/benchmarks.md says.
 *
 * <p>Arguments: clients (32), requests per client of the in-JVM run (60), patients (200),
 * suggestions per patient (3), optional PostgreSQL JDBC URL (default: embedded H2). System
 * properties: {@code bench.alg=RS384} signs RS384 instead of ES384; {@code bench.wrk.seconds} (30;
 * 0 skips wrk) and {@code bench.wrk.tokens} (default 4 × the in-JVM throughput × seconds, at least
 * 20 000) size the wrk run. wrk must be installed ({@code apt-get install -y wrk}).
 */
public final class CdsHooksBench {
  private static final boolean RS384 = "RS384".equals(System.getProperty("bench.alg"));
  private static final int WRK_SECONDS = Integer.getInteger("bench.wrk.seconds", 30);
  private static final int WRK_THREADS = 2;
  private static final java.security.Provider BOUNCY_CASTLE =
      new org.bouncycastle.jce.provider.BouncyCastleProvider();
  private static final Pattern WRK_FIELD = Pattern.compile("(\\w+)=(\\d+)");

  private CdsHooksBench() {}

  /** One measured run. */
  private record Row(
      String label,
      String loadBefore,
      String loadAfter,
      long requests,
      double p50,
      double p95,
      double p99,
      double max,
      double perSecond,
      double cpuMsPerCall,
      String note) {}

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int perClient = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int patients = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int perPatient = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    String jdbc = args.length > 4 ? args[4] : null;
    Path dir = Files.createTempDirectory("cds-bench");
    if (WRK_SECONDS > 0) {
      requireWrk();
    }
    try (TestServer server = started(dir, jdbc, patients, perPatient)) {
      inJvm(server, clients, Math.max(5, perClient / 4), patients, "warm-up");
      List<Row> rows = new ArrayList<>();
      rows.add(inJvm(server, clients, perClient, patients, "in-JVM HttpClient"));
      if (WRK_SECONDS > 0) {
        long tokens =
            Long.getLong(
                "bench.wrk.tokens",
                Math.max(20_000, (long) Math.ceil(4 * rows.get(0).perSecond() * WRK_SECONDS)));
        rows.add(wrk(server, dir, clients, patients, tokens));
      }
      print(rows, clients, perClient, patients, perPatient);
    }
  }

  /**
   * The server of the benchmark: {@link TestServer} on {@code jdbc} (H2 in {@code dir} when null)
   * with {@code perPatient} stored suggestions for each of the patients {@code b0 .. b<n-1>}.
   */
  static TestServer started(Path dir, String jdbc, int patients, int perPatient) throws Exception {
    TestServer server = new TestServer(dir, jdbc);
    for (int p = 0; p < patients; p++) {
      for (int s = 0; s < perPatient; s++) {
        server
            .services
            .suggestions()
            .record(
                TestReportBundles.run(
                    "b" + p,
                    "1.2.9." + p + "." + s,
                    TestReportBundles.prediction(
                        0.2 + 0.1 * s, 0.1, s == 0 ? 0.9 : 0.1, 0.1, 0.3)));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "stored %d suggestions for %d patients on %s; tokens %s%n",
        patients * perPatient,
        patients,
        jdbc == null ? "H2" : "PostgreSQL",
        RS384 ? "RS384" : "ES384");
    return server;
  }

  private static String patient(int client, int i, int patients) {
    return "b" + ((client * 7919 + i * 104729) % patients);
  }

  /** A fresh token signed by one of {@code signer}'s (one per thread: signing is not timed). */
  private static String token(TestServer server, JWSSigner signer) throws Exception {
    return RS384
        ? TestServer.sign(signer, server.rs384, JWSAlgorithm.RS384, server.goodClaims().build())
        : TestServer.sign(signer, server.es384, JWSAlgorithm.ES384, server.goodClaims().build());
  }

  /** A signer with the bench's key, on Bouncy Castle (faster than SunEC for P-384). */
  private static JWSSigner signer(TestServer server) throws Exception {
    JWSSigner signer = TestServer.signer(RS384 ? server.rs384 : server.es384);
    signer.getJCAContext().setProvider(BOUNCY_CASTLE);
    return signer;
  }

  private static String body(String patient) {
    return "{\"hook\":\"patient-view\",\"hookInstance\":\"x\",\"context\":{\"userId\":\"Practitioner/1\",\"patientId\":\""
        + patient
        + "\"}}";
  }

  private static Row inJvm(
      TestServer server, int clients, int perClient, int patients, String label) throws Exception {
    List<List<HttpRequest>> work = new ArrayList<>();
    JWSSigner signer = signer(server);
    for (int c = 0; c < clients; c++) {
      List<HttpRequest> requests = new ArrayList<>();
      for (int i = 0; i < perClient; i++) {
        requests.add(
            HttpRequest.newBuilder(URI.create(server.serviceUrl()))
                .header("Authorization", "Bearer " + token(server, signer))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(patient(c, i, patients))))
                .build());
      }
      work.add(requests);
    }
    String loadBefore = loadAverage();
    long cpu0 = processCpuNanos();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long start = System.nanoTime();
    List<Future<long[]>> futures = new ArrayList<>();
    for (List<HttpRequest> requests : work) {
      futures.add(pool.submit(() -> send(server, requests)));
    }
    List<Long> all = new ArrayList<>();
    for (Future<long[]> f : futures) {
      Arrays.stream(f.get()).forEach(all::add);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
    Row row =
        new Row(
            label,
            loadBefore,
            loadAverage(),
            sorted.length,
            ms(sorted, 0.50),
            ms(sorted, 0.95),
            ms(sorted, 0.99),
            sorted[sorted.length - 1] / 1e6,
            sorted.length / seconds,
            (processCpuNanos() - cpu0) / 1e6 / sorted.length,
            clients + " threads × " + perClient + " calls, every answer 200 with cards");
    System.out.println(row);
    return row;
  }

  private static long[] send(TestServer server, List<HttpRequest> requests) throws Exception {
    long[] nanos = new long[requests.size()];
    for (int i = 0; i < requests.size(); i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> response =
          server.client.send(requests.get(i), HttpResponse.BodyHandlers.ofString());
      nanos[i] = System.nanoTime() - t0;
      if (response.statusCode() != 200 || !response.body().contains("\"cards\"")) {
        throw new IllegalStateException("status " + response.statusCode());
      }
    }
    return nanos;
  }

  /**
   * Signs {@code tokens} JWTs into a file (on every core, before the clock starts), then runs wrk
   * with {@code clients} connections against the server for {@link #WRK_SECONDS}.
   */
  private static Row wrk(TestServer server, Path dir, int clients, int patients, long tokens)
      throws Exception {
    Path tokenFile = dir.resolve("wrk-tokens.tsv");
    long t0 = System.nanoTime();
    Files.write(tokenFile, signedLines(server, tokens, patients));
    System.out.printf(
        Locale.ROOT,
        "signed %d tokens for wrk in %.1f s%n",
        tokens,
        (System.nanoTime() - t0) / 1e9);
    Path script = dir.resolve("cds-hooks-wrk.lua");
    try (InputStream in = CdsHooksBench.class.getResourceAsStream("/bench/cds-hooks-wrk.lua")) {
      Files.copy(in, script);
    }
    List<String> command =
        List.of(
            "wrk",
            "-t" + WRK_THREADS,
            "-c" + clients,
            "-d" + WRK_SECONDS + "s",
            "--latency",
            "-s",
            script.toString(),
            server.serviceUrl(),
            "--",
            tokenFile.toString(),
            Integer.toString(WRK_THREADS));
    System.out.println(String.join(" ", command));
    String loadBefore = loadAverage();
    long cpu0 = processCpuNanos();
    Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int exit = wrk.waitFor();
    long cpuNanos = processCpuNanos() - cpu0;
    String loadAfter = loadAverage();
    System.out.print(output);
    Map<String, Long> r = wrkResult(output, exit);
    if (r.get("status_errors") != 0 || r.get("socket_errors") != 0) {
      throw new IllegalStateException(
          "wrk saw "
              + r.get("status_errors")
              + " HTTP errors, "
              + r.get("socket_errors")
              + " socket errors");
    }
    String note =
        "wrk -t"
            + WRK_THREADS
            + " -c"
            + clients
            + ", "
            + r.get("sent")
            + " calls of "
            + r.get("tokens")
            + " tokens";
    if (r.get("discovery_after_exhausted") > 0) {
      note +=
          "; TOKENS RAN OUT before "
              + WRK_SECONDS
              + " s (then "
              + r.get("discovery_after_exhausted")
              + " discovery GETs)";
    }
    return new Row(
        "wrk (separate process)",
        loadBefore,
        loadAfter,
        r.get("requests"),
        r.get("p50_us") / 1e3,
        r.get("p95_us") / 1e3,
        r.get("p99_us") / 1e3,
        r.get("max_us") / 1e3,
        r.get("requests") / (r.get("duration_us") / 1e6),
        cpuNanos / 1e6 / r.get("requests"),
        note);
  }

  private static List<String> signedLines(TestServer server, long tokens, int patients)
      throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    ExecutorService pool = Executors.newFixedThreadPool(cores);
    List<Future<List<String>>> parts = new ArrayList<>();
    for (int core = 0; core < cores; core++) {
      int first = core;
      Callable<List<String>> part =
          () -> {
            JWSSigner signer = signer(server);
            List<String> lines = new ArrayList<>();
            for (long i = first; i < tokens; i += cores) {
              lines.add(
                  patient((int) (i % 32), (int) (i / 32), patients) + "\t" + token(server, signer));
            }
            return lines;
          };
      parts.add(pool.submit(part));
    }
    List<String> lines = new ArrayList<>();
    for (Future<List<String>> part : parts) {
      lines.addAll(part.get());
    }
    pool.shutdown();
    return lines;
  }

  private static Map<String, Long> wrkResult(String output, int exit) {
    for (String line : output.split("\n")) {
      if (line.startsWith("wrk-result ")) {
        Map<String, Long> fields = new HashMap<>();
        Matcher m = WRK_FIELD.matcher(line);
        while (m.find()) {
          fields.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return fields;
      }
    }
    throw new IllegalStateException("wrk exited " + exit + " without a result line");
  }

  private static void requireWrk() throws InterruptedException {
    try {
      new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor();
    } catch (IOException e) {
      throw new IllegalStateException(
          "wrk is not installed: apt-get install -y wrk (or -Dbench.wrk.seconds=0 to run the"
              + " in-JVM clients only)",
          e);
    }
  }

  /** CPU time of this JVM (server, JIT, GC and, in the in-JVM run, its clients) so far. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "n/a";
    }
  }

  private static void print(
      List<Row> rows, int clients, int perClient, int patients, int perPatient) {
    System.out.printf(
        Locale.ROOT,
        "%npatient-view, %s tokens, %d clients, %d patients × %d suggestions%n%n"
            + "| load generator | load avg before → after (1/5/15 min) | p50 | p95 | p99 | max |"
            + " calls | throughput | JVM CPU per call | run |%n"
            + "|---|---|---|---|---|---|---|---|---|---|%n",
        RS384 ? "RS384" : "ES384",
        clients,
        patients,
        perPatient);
    for (Row r : rows) {
      System.out.printf(
          Locale.ROOT,
          "| %s | %s → %s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %d | %.0f req/s | %.2f ms | %s"
              + " |%n",
          r.label(),
          r.loadBefore(),
          r.loadAfter(),
          r.p50(),
          r.p95(),
          r.p99(),
          r.max(),
          r.requests(),
          r.perSecond(),
          r.cpuMsPerCall(),
          r.note());
    }
  }

  private static double ms(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }
}
