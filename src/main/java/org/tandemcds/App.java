package org.tandemcds;

import org.slf4j.bridge.SLF4JBridgeHandler;
import org.tandemcds.config.AppConfig;
import org.tandemcds.dicom.DicomDirectory;
import org.tandemcds.dicom.DicomImageReader;
import org.tandemcds.dicom.DicomLimits;
import org.tandemcds.fhir.Fhir;
import org.tandemcds.fhir.FhirNotes;
import org.tandemcds.model.Engines;
import org.tandemcds.nlp.TextSegmenter;
import org.tandemcds.parse.CaseAssembler;
import org.tandemcds.parse.CaseParser;
import org.tandemcds.parse.NoteReader;
import org.tandemcds.parse.PixelNormaliser;
import org.tandemcds.parse.StudyReader;

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

  private App(AppConfig config) {
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
  }

  /** Builds a Tandem instance. Callers close it. */
  public static App start(AppConfig config) {
    return new App(config);
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

  @Override
  public void close() {
    // Nothing holds native or network resources yet; models and servers will close here, in
    // reverse order of construction.
  }
}
