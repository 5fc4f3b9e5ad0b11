package org.tandemcds;

import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.bridge.SLF4JBridgeHandler;
import org.tandemcds.config.AppConfig;
import org.tandemcds.config.ModelConfig;
import org.tandemcds.config.ServeConfig;
import org.tandemcds.deliver.PacsDelivery;
import org.tandemcds.deliver.PacsResults;
import org.tandemcds.dicom.DicomDirectory;
import org.tandemcds.dicom.DicomImageReader;
import org.tandemcds.dicom.DicomLimits;
import org.tandemcds.dicom.DicomResults;
import org.tandemcds.dicom.ReceiverConfig;
import org.tandemcds.dicom.StorageReceiver;
import org.tandemcds.dicom.StorageSender;
import org.tandemcds.domain.AuditType;
import org.tandemcds.domain.CaseInput;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.encode.EncodeStage;
import org.tandemcds.encode.ImageEncoder;
import org.tandemcds.encode.TextEncoder;
import org.tandemcds.explain.ExplainStage;
import org.tandemcds.fhir.AnalyzeParameters;
import org.tandemcds.fhir.Capabilities;
import org.tandemcds.fhir.EhrNotes;
import org.tandemcds.fhir.Fhir;
import org.tandemcds.fhir.FhirIngest;
import org.tandemcds.fhir.FhirNotes;
import org.tandemcds.fhir.FhirResponses;
import org.tandemcds.fhir.Outcomes;
import org.tandemcds.fhir.ProfileValidator;
import org.tandemcds.fhir.ReportBundleWriter;
import org.tandemcds.fhir.ReportContent;
import org.tandemcds.fuse.FusionStage;
import org.tandemcds.http.FhirRoutes;
import org.tandemcds.http.HttpServer;
import org.tandemcds.http.OpsRoutes;
import org.tandemcds.http.PanelRoutes;
import org.tandemcds.http.ReviewHttp;
import org.tandemcds.http.Routes;
import org.tandemcds.http.StowRoutes;
import org.tandemcds.metrics.Metrics;
import org.tandemcds.model.CaseModel;
import org.tandemcds.model.DevicePreference;
import org.tandemcds.model.Devices;
import org.tandemcds.model.Engines;
import org.tandemcds.model.InferenceModels;
import org.tandemcds.model.ModelArtifacts;
import org.tandemcds.model.ModelCard;
import org.tandemcds.model.PretrainedTextModel;
import org.tandemcds.model.VerifiedModel;
import org.tandemcds.nlp.TextSegmenter;
import org.tandemcds.parse.CaseAssembler;
import org.tandemcds.parse.CaseParser;
import org.tandemcds.parse.NoteReader;
import org.tandemcds.parse.PixelNormaliser;
import org.tandemcds.parse.StudyReader;
import org.tandemcds.pipeline.Pipeline;
import org.tandemcds.report.ReportStage;
import org.tandemcds.review.PanelCases;
import org.tandemcds.review.ReviewServices;
import org.tandemcds.security.CdsHooksTrust;
import org.tandemcds.security.SmartBackendTokens;
import org.tandemcds.service.AnalysisWorkers;
import org.tandemcds.service.AnalyzeService;
import org.tandemcds.service.Analyzer;
import org.tandemcds.service.CaseFiles;
import org.tandemcds.service.EhrNoteSource;
import org.tandemcds.service.NoteIngest;
import org.tandemcds.service.QuietStudyTrigger;
import org.tandemcds.service.ResultSink;
import org.tandemcds.service.StudyIngest;
import org.tandemcds.store.AnalysisResults;
import org.tandemcds.store.CaseViews;
import org.tandemcds.store.Database;
import org.tandemcds.store.JobQueue;
import org.tandemcds.store.JobState;
import org.tandemcds.store.NoteStore;
import org.tandemcds.store.Outbox;
import org.tandemcds.store.ResourceStore;
import org.tandemcds.store.RetryPolicy;
import org.tandemcds.store.StoreResult;
import org.tandemcds.store.StudyActivity;
import org.tandemcds.store.StudyStore;

/**
 * The one composition root: builds configuration → adapters → stages in order, and closes them in
 * reverse. Commands, servers and tests all build Tandem through {@link #start}.
 */
public final class App implements AutoCloseable {
  /** Percentiles of the robust window used when an image carries no VOI. */
  private static final double LOW_PERCENTILE = 0.5;

  private static final double HIGH_PERCENTILE = 99.5;

  private final AppConfig config;
  private final Fhir fhir;
  private final StudyReader studyReader;
  private final NoteReader noteReader;
  private final CaseParser caseParser;
  private final Optional<InferenceModels> models;
  private final Optional<TextEncoder> textEncoder;
  private final Optional<ImageEncoder> imageEncoder;
  private final Optional<Pipeline> pipeline;
  private ProfileValidator profileValidator;

  private App(AppConfig config) {
    this(config, Optional.empty());
  }

  private App(AppConfig config, Optional<ModelConfig> modelConfig) {
    routeJavaUtilLoggingToSlf4j();
    Engines.init();
    this.config = config;
    this.fhir = new Fhir();
    DicomLimits limits = new DicomLimits(config.maxDicomFileBytes(), config.maxPixels());
    this.studyReader =
        new StudyReader(
            new DicomImageReader(limits),
            new DicomDirectory(limits),
            new PixelNormaliser(LOW_PERCENTILE, HIGH_PERCENTILE));
    this.noteReader =
        new NoteReader(new FhirNotes(fhir), new TextSegmenter(), config.maxNoteBytes());
    this.caseParser =
        new CaseParser(studyReader, noteReader, new CaseAssembler(config.issuerSystems()));
    this.models = modelConfig.map(App::loadModels);
    try {
      this.textEncoder =
          models
              .filter(InferenceModels::readsNotes)
              .map(
                  m ->
                      TextEncoder.open(
                          new PretrainedTextModel().extract(modelConfig.get().textModelCache())));
      this.imageEncoder = models.flatMap(InferenceModels::image).map(ImageEncoder::new);
      this.pipeline = models.map(m -> pipeline(m, modelConfig.get()));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private static InferenceModels loadModels(ModelConfig c) {
    Engines.init();
    return InferenceModels.load(
        new ModelArtifacts().open(c.dir()), new Devices(DevicePreference.parse(c.device())));
  }

  private Pipeline pipeline(InferenceModels m, ModelConfig c) {
    ReportStage report =
        new ReportStage(new ReportBundleWriter(fhir), identity(m, c), Clock.systemUTC());
    return new Pipeline(
        caseParser,
        new EncodeStage(imageEncoder, textEncoder),
        new FusionStage(m.fusion()),
        Optional.of(
            new ExplainStage(m.image(), m.fusion(), ExplainStage.Settings.standard())::explain),
        report,
        Clock.systemUTC());
  }

  private static ReportContent.ModelIdentity identity(InferenceModels m, ModelConfig c) {
    VerifiedModel v = m.verified();
    List<ReportContent.ModelFile> files = new ArrayList<>();
    v.card().files().forEach(f -> files.add(new ReportContent.ModelFile(f.path(), f.sha256())));
    if (m.readsNotes()) {
      files.add(
          new ReportContent.ModelFile(
              PretrainedTextModel.NAME + ".onnx", PretrainedTextModel.ONNX_SHA256));
    }
    String card =
        c.modelCardUrl()
            .orElse(v.dir().toAbsolutePath().resolve(ModelCard.FILE_NAME).toUri().toString());
    return new ReportContent.ModelIdentity(
        CaseModel.NAME, v.card().version(), v.cardSha256(), files, card);
  }

  /**
   * The loaded model's identity as analysis jobs key on it: {@code <version>@<card sha256>}, so a
   * new model re-analyses a study once; empty when started without a model.
   */
  public Optional<String> modelIdentity() {
    return models.map(m -> m.verified().card().version() + "@" + m.verified().cardSha256());
  }

  /** Builds a Tandem instance without models (parsing only). Callers close it. */
  public static App start(AppConfig config) {
    return new App(config);
  }

  /**
   * Builds a Tandem instance with a verified, loaded model and the whole pipeline. Callers close
   * it.
   *
   * @throws org.tandemcds.domain.CdsException {@code TDM-501}, {@code TDM-502}, {@code TDM-504} or
   *     {@code TDM-505} when the model cannot be verified or loaded
   */
  public static App start(AppConfig config, ModelConfig models) {
    return new App(config, Optional.of(models));
  }

  private static void routeJavaUtilLoggingToSlf4j() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  public AppConfig config() {
    return config;
  }

  public Fhir fhir() {
    return fhir;
  }

  public StudyReader studyReader() {
    return studyReader;
  }

  public NoteReader noteReader() {
    return noteReader;
  }

  public CaseParser caseParser() {
    return caseParser;
  }

  /**
   * The pipeline.
   *
   * @throws IllegalStateException when the app was started without a model
   */
  public Pipeline pipeline() {
    return pipeline.orElseThrow(() -> new IllegalStateException("started without a model"));
  }

  /** The validator of Tandem's FHIR output, built on first use (it takes seconds). */
  public synchronized ProfileValidator profileValidator() {
    if (profileValidator == null) {
      profileValidator = new ProfileValidator(fhir);
    }
    return profileValidator;
  }

  /**
   * Starts {@code tandem serve} as the product runs it: {@link #serve(ServeConfig, Analyzer,
   * BooleanSupplier, List, List) the service} plus the review module (every run becomes a stored
   * suggestion with its case view; results, review actions, CDS Hooks, audit and the review panel
   * are served).
   */
  public Serving serveWithReview(ServeConfig serve, Analyzer analyzer, BooleanSupplier ready) {
    return serve(serve, analyzer, ready, List.of(), List.of(), true);
  }

  /**
   * Starts the service core: database (migrated), stores, queue, worker pool running {@code
   * analyzer}, the quiet-study trigger and the HTTP server with the ingest and operations routes
   * plus {@code extraRoutes}, handing each run to {@code sinks}. Close the returned handle to stop
   * it all, in reverse order.
   *
   * @param modelsReady whether the analyzer's models are loaded (for {@code /health/ready})
   */
  public Serving serve(
      ServeConfig serve,
      Analyzer analyzer,
      BooleanSupplier modelsReady,
      List<ResultSink> sinks,
      List<Routes> extraRoutes) {
    return serve(serve, analyzer, modelsReady, sinks, extraRoutes, false);
  }

  private Serving serve(
      ServeConfig serve,
      Analyzer analyzer,
      BooleanSupplier modelsReady,
      List<ResultSink> sinks,
      List<Routes> extraRoutes,
      boolean withReview) {
    Serving serving = new Serving();
    try {
      serving.start(serve, analyzer, modelsReady, sinks, extraRoutes, withReview);
      return serving;
    } catch (RuntimeException e) {
      serving.close();
      throw e;
    }
  }

  /** A running service; closing it stops the server, trigger and workers, then the database. */
  public final class Serving implements AutoCloseable {
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    private Database database;
    private JobQueue queue;
    private AnalysisResults results;
    private QuietStudyTrigger trigger;
    private HttpServer http;
    private StorageReceiver receiver;
    private Outbox outbox;
    private StudyStore studies;

    private ReviewServices review;

    private Serving() {}

    /** The review module's services (stored suggestions, reviews, accounts, audit). */
    public ReviewServices review() {
      return review;
    }

    private Routes reviewModule(ServeConfig serve, ReviewServices services, Clock clock) {
      return ReviewHttp.module(
          services,
          () -> serve.publicBaseUrl().orElseGet(() -> defaultBaseUrl(serve)),
          serve.tls(),
          clock);
    }

    private String defaultBaseUrl(ServeConfig serve) {
      return (serve.tls() ? "https://" : "http://") + serve.host() + ":" + port();
    }

    private CdsHooksTrust cdsHooksTrust(ServeConfig serve) {
      Map<String, URL> jwks = new LinkedHashMap<>();
      serve
          .cdsHooksIssuers()
          .forEach(
              (iss, url) -> {
                try {
                  jwks.put(iss, URI.create(url).toURL());
                } catch (IllegalArgumentException | java.net.MalformedURLException e) {
                  throw new CdsException(
                      ErrorCode.CONFIG_INVALID, "cds-hooks-issuers: bad JWKS URL for " + iss, e);
                }
              });
      return new CdsHooksTrust(jwks, Duration.ofSeconds(60));
    }

    private void start(
        ServeConfig serve,
        Analyzer analyzer,
        BooleanSupplier modelsReady,
        List<ResultSink> sinks,
        List<Routes> extraRoutes,
        boolean withReview) {
      Clock clock = Clock.systemUTC();
      Path dataDir = serve.dataDir();
      database =
          serve
              .jdbcUrl()
              .map(url -> Database.open(url, serve.dbUser(), serve.dbPassword(), serve.dbPool()))
              .orElseGet(() -> Database.embedded(dataDir));
      opened.push(database);
      Metrics metrics = new Metrics();
      opened.push(metrics);
      studies = new StudyStore(database, dataDir, clock, serve.maxInstanceBytes());
      NoteStore notes =
          new NoteStore(database, clock, (int) Math.min(Integer.MAX_VALUE, config.maxNoteBytes()));
      NoteIngest noteIngest = new NoteIngest(notes, new ResourceStore(database, clock));
      queue =
          new JobQueue(
              database,
              clock,
              new RetryPolicy(serve.maxAttempts(), serve.retryBackoff(), serve.retryBackoffMax()));
      for (JobState state : JobState.values()) {
        String name = state.name().toLowerCase(java.util.Locale.ROOT);
        metrics.gauge("tandem.queue.jobs", "state", name, () -> queue.depth().get(state));
      }
      results = new AnalysisResults(database);
      review =
          ReviewServices.create(
              database,
              fhir,
              cdsHooksTrust(serve),
              ReviewServices.DEFAULT_CRITICAL,
              serve.sessionLifetime(),
              clock);
      List<ResultSink> allSinks = new ArrayList<>();
      PanelCases panel =
          new PanelCases(
              new CaseViews(database, clock),
              studies,
              new DicomImageReader(
                  new DicomLimits(config.maxDicomFileBytes(), config.maxPixels())));
      if (withReview) {
        allSinks.add(
            (jobId, runId, run) ->
                panel.record(
                    review.suggestions().record(run),
                    run,
                    run.input().flatMap(CaseInput::study),
                    run.input().map(CaseInput::notes).orElse(List.of())));
      }
      pacsDelivery(serve, studies, clock).ifPresent(allSinks::add);
      allSinks.addAll(sinks);
      AnalysisWorkers workers =
          new AnalysisWorkers(
              queue,
              new CaseFiles(
                  studies,
                  notes,
                  dataDir,
                  serve.noteWindow(),
                  serve.ehr().map(ehr -> ehrNotes(ehr, noteIngest, clock))),
              analyzer,
              results,
              allSinks,
              metrics,
              new AnalysisWorkers.Settings(
                  serve.processId(), serve.workers(), serve.lease(), Duration.ofMillis(500)));
      opened.push(workers.start());
      trigger =
          new QuietStudyTrigger(
              new StudyActivity(database, clock),
              studies,
              queue,
              workers::wake,
              clock,
              serve.quietTime(),
              serve.modelVersion());
      opened.push(trigger.start());
      if (withReview && serve.dicomReceiver()) {
        // C-STORE into the same StudyStore: the quiet-study trigger picks these studies up like
        // STOW-RS ones
        receiver =
            StorageReceiver.start(
                new ReceiverConfig(
                    serve.host(),
                    serve.dicomPort(),
                    serve.dicomAeTitle(),
                    serve.dicomAllowedCallers(),
                    dataDir.resolve("dicom-spool"),
                    serve.maxInstanceBytes(),
                    16),
                studies,
                (key, result, callingAe) -> {
                  workers.wake();
                  review
                      .auditor()
                      .record(
                          AuditType.INSTANCES_TRANSFERRED,
                          "C",
                          "dicom/" + callingAe,
                          Optional.of(key.patientKey()),
                          Optional.of("urn:oid:" + key.studyInstanceUid()),
                          result.outcome() != StoreResult.Outcome.CONFLICT,
                          "C-STORE: instance " + result.outcome().name().toLowerCase(Locale.ROOT));
                });
        opened.push(receiver);
      }
      FhirIngest fhirIngest = new FhirIngest(fhir);
      Outcomes outcomes = new Outcomes(fhir);
      List<Routes> modules = new ArrayList<>();
      modules.add(
          new OpsRoutes(
              metrics,
              () -> queue.depth() != null,
              modelsReady,
              new Capabilities(fhir, serve.authenticated()),
              "0.1.0"));
      modules.add(
          new StowRoutes(
              new StudyIngest(studies),
              dataDir.resolve("spool"),
              serve.maxStowBytes(),
              serve.maxInstanceBytes(),
              metrics,
              review.auditor(),
              review.authenticator(),
              serve.authenticated()));
      modules.add(
          new FhirRoutes(
              fhirIngest,
              noteIngest,
              new AnalyzeParameters(fhir),
              new AnalyzeService(
                  fhirIngest,
                  noteIngest,
                  studies,
                  queue,
                  results,
                  workers::wake,
                  serve.modelVersion()),
              new FhirResponses(fhir),
              outcomes,
              metrics,
              serve.maxFhirBytes(),
              serve.maxJsonDepth(),
              serve.syncTimeout(),
              review.auditor(),
              review.authenticator(),
              serve.authenticated()));
      if (withReview) {
        modules.add(reviewModule(serve, review, clock));
        modules.add(PanelRoutes.module(review, panel));
      }
      modules.addAll(extraRoutes);
      http = HttpServer.start(serve, outcomes, metrics, review.auditor(), modules);
      opened.push(http);
    }

    /**
     * With DICOM destinations configured: the outbox, its background deliverer (opened before the
     * workers, so closed after them) and the sink that queues every run's SC and SR in it.
     */
    private Optional<ResultSink> pacsDelivery(ServeConfig serve, StudyStore studies, Clock clock) {
      if (serve.dicomDestinations().isEmpty()) {
        return Optional.empty();
      }
      ServeConfig.Delivery settings = serve.dicomDelivery();
      outbox =
          new Outbox(
              database,
              serve.dataDir(),
              clock,
              new RetryPolicy(settings.maxAttempts(), settings.backoff(), settings.backoffMax()),
              serve.maxInstanceBytes());
      PacsDelivery delivery =
          new PacsDelivery(
              outbox,
              new StorageSender(),
              serve.dicomDestinations(),
              serve.processId(),
              serve.lease(),
              16);
      opened.push(delivery);
      delivery.start(settings.interval());
      return Optional.of(
          new PacsResults(studies, new DicomResults(), delivery, serve.dataDir(), clock));
    }

    /** Where notes are fetched from the EHR, with the configured authentication. */
    private EhrNoteSource ehrNotes(ServeConfig.Ehr ehr, NoteIngest noteIngest, Clock clock) {
      Supplier<String> token =
          ehr.auth().equals("bearer")
              ? ehr::bearerToken
              : new SmartBackendTokens(
                  new SmartBackendTokens.Client(
                      URI.create(ehr.tokenUrl()),
                      ehr.clientId(),
                      ehr.scope(),
                      ehr.privateKey().orElseThrow(),
                      ehr.keyId(),
                      ehr.algorithm()),
                  clock,
                  ehr.timeout());
      return new EhrNoteSource(
          new EhrNotes(fhir, ehr.baseUrl(), token, ehr.timeout()),
          new FhirIngest(fhir),
          noteIngest,
          new EhrNoteSource.Settings(
              config.issuerSystems(), ehr.patientSystem(), ehr.attempts(), ehr.backoff()));
    }

    /** The PACS outbox, when DICOM destinations are configured. */
    public Optional<Outbox> outbox() {
      return Optional.ofNullable(outbox);
    }

    /** The HTTP port bound. */
    public int port() {
      return http.port();
    }

    /** The DICOM receiver's port, when it runs. */
    public Optional<Integer> dicomPort() {
      return Optional.ofNullable(receiver).map(StorageReceiver::port);
    }

    public JobQueue queue() {
      return queue;
    }

    /** The study store (received DICOM instances). */
    public StudyStore studies() {
      return studies;
    }

    public AnalysisResults results() {
      return results;
    }

    public QuietStudyTrigger trigger() {
      return trigger;
    }

    @Override
    public void close() {
      RuntimeException failure = null;
      while (!opened.isEmpty()) {
        try {
          opened.pop().close();
        } catch (Exception e) {
          if (failure == null) {
            failure = new CdsException(ErrorCode.INTERNAL, "shutdown failed", e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
    }
  }

  @Override
  public void close() {
    // reverse order of construction; fields are null when the constructor failed before them
    if (imageEncoder != null) {
      imageEncoder.ifPresent(ImageEncoder::close);
    }
    if (textEncoder != null) {
      textEncoder.ifPresent(TextEncoder::close);
    }
    if (models != null) {
      models.ifPresent(InferenceModels::close);
    }
  }
}
