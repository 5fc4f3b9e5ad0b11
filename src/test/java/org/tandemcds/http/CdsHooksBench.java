package org.tandemcds.http;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.tandemcds.fhir.TestReportBundles;

/**
 * BENCHMARK, not a test: CDS Hooks {@code patient-view} on loopback with stored suggestions, N
 * concurrent clients, each request with its own freshly signed ES384 JWT (signed before timing).
 * Prints p50/p95/p99 latency and throughput. Run as docs/benchmarks.md says.
 *
 * <p>Arguments: clients (32), requests per client (60), patients (200), suggestions per patient
 * (3), optional PostgreSQL JDBC URL (default: embedded H2). {@code -Dbench.alg=RS384} signs the
 * tokens RS384 instead (both are allowed by CDS Hooks; ES384 verification costs ≈ 3 ms of CPU a
 * call here, RS384 ≈ 0.06 ms).
 */
public final class CdsHooksBench {
  private static final boolean RS384 = "RS384".equals(System.getProperty("bench.alg"));

  public static void main(String[] args) throws Exception {
    int clients = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int perClient = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    int patients = args.length > 2 ? Integer.parseInt(args[2]) : 200;
    int perPatient = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    String jdbc = args.length > 4 ? args[4] : null;
    Path dir = Files.createTempDirectory("cds-bench");
    try (TestServer server = new TestServer(dir, jdbc)) {
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
          "stored %d suggestions for %d patients on %s%n",
          patients * perPatient,
          patients,
          jdbc == null ? "H2" : "PostgreSQL");
      run(server, clients, Math.max(5, perClient / 4), patients, "warm-up");
      run(server, clients, perClient, patients, "measured");
    }
  }

  private static void run(TestServer server, int clients, int perClient, int patients, String label)
      throws Exception {
    List<List<HttpRequest>> work = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      List<HttpRequest> requests = new ArrayList<>();
      for (int i = 0; i < perClient; i++) {
        String patient = "b" + ((c * 7919 + i * 104729) % patients);
        String token =
            RS384
                ? TestServer.sign(server.rs384, JWSAlgorithm.RS384, server.goodClaims().build())
                : TestServer.sign(server.es384, JWSAlgorithm.ES384, server.goodClaims().build());
        requests.add(
            HttpRequest.newBuilder(URI.create(server.serviceUrl()))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"hook\":\"patient-view\",\"hookInstance\":\"x\",\"context\":{\"userId\":\"Practitioner/1\",\"patientId\":\""
                            + patient
                            + "\"}}"))
                .build());
      }
      work.add(requests);
    }
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long start = System.nanoTime();
    List<Future<long[]>> futures = new ArrayList<>();
    for (List<HttpRequest> requests : work) {
      futures.add(
          pool.submit(
              () -> {
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
              }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<long[]> f : futures) {
      Arrays.stream(f.get()).forEach(all::add);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    pool.shutdown();
    long[] sorted = all.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "%s: %d clients x %d requests: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms, %.0f requests/s%n",
        label,
        clients,
        perClient,
        ms(sorted, 0.50),
        ms(sorted, 0.95),
        ms(sorted, 0.99),
        sorted[sorted.length - 1] / 1e6,
        sorted.length / seconds);
  }

  private static double ms(long[] sorted, double q) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
  }
}
