package org.tandemcds.fhir;

import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Resource;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Validates FHIR JSON against the base R4 specification and Tandem's profiles ({@code
 * fhir-profiles/}, on the classpath), offline: no terminology server is asked. Codes of systems the
 * offline validator does not hold (SNOMED CT, LOINC) are checked against Tandem's enumerated value
 * sets only; the validator says so in informational or warning messages, which {@link
 * ValidationReport} keeps apart from errors.
 *
 * <p>Building it loads the R4 specification and generates snapshots (seconds): build once. {@link
 * #validate} is thread-safe.
 */
public final class ProfileValidator {
  /** Every conformance resource in {@code fhir-profiles/}, loaded in this order. */
  public static final List<String> PROFILE_FILES =
      List.of(
          "CodeSystem-snomed-fragment.json",
          "CodeSystem-loinc-fragment.json",
          "CodeSystem-v3-ObservationValue-AIAST.json",
          "ValueSet-tandem-findings.json",
          "ValueSet-tandem-exam-codes.json",
          "ValueSet-tandem-finding-interpretation.json",
          "StructureDefinition-modality-contribution.json",
          "StructureDefinition-note-evidence.json",
          "StructureDefinition-model-card.json",
          "StructureDefinition-source-instance.json",
          "StructureDefinition-analysis-run.json",
          "StructureDefinition-tandem-diagnostic-report.json",
          "StructureDefinition-tandem-finding-observation.json",
          "StructureDefinition-tandem-saliency-media.json",
          "StructureDefinition-tandem-model-device.json",
          "StructureDefinition-tandem-provenance.json");

  private final FhirValidator validator;

  /**
   * @throws CdsException {@link ErrorCode#INTERNAL} when a profile file is missing or malformed
   */
  public ProfileValidator(Fhir fhir) {
    PrePopulatedValidationSupport tandem = new PrePopulatedValidationSupport(fhir.context());
    for (String file : PROFILE_FILES) {
      tandem.addResource(load(fhir, file));
    }
    ValidationSupportChain chain =
        new ValidationSupportChain(
            tandem,
            new DefaultProfileValidationSupport(fhir.context()),
            new CommonCodeSystemsTerminologyService(fhir.context()),
            new InMemoryTerminologyServerValidationSupport(fhir.context()),
            new SnapshotGeneratingValidationSupport(fhir.context()));
    FhirInstanceValidator module = new FhirInstanceValidator(chain);
    module.setAnyExtensionsAllowed(false);
    this.validator = fhir.context().newValidator().registerValidatorModule(module);
  }

  private static Resource load(Fhir fhir, String file) {
    try (InputStream in = ProfileValidator.class.getResourceAsStream("/fhir-profiles/" + file)) {
      if (in == null) {
        throw new CdsException(ErrorCode.INTERNAL, "fhir-profiles/" + file + " is not packaged");
      }
      return fhir.parse(in.readAllBytes(), "fhir-profiles/" + file);
    } catch (IOException e) {
      throw new CdsException(ErrorCode.INTERNAL, "cannot read fhir-profiles/" + file, e);
    }
  }

  /** Validates one resource (a Bundle validates every entry against its declared profile). */
  public ValidationReport validate(String json) {
    ValidationResult result = validator.validateWithResult(json);
    return new ValidationReport(
        result.getMessages().stream().map(ProfileValidator::issue).toList());
  }

  private static ValidationReport.Issue issue(SingleValidationMessage m) {
    return new ValidationReport.Issue(
        severity(m.getSeverity()), m.getLocationString(), m.getMessage());
  }

  private static ValidationReport.Severity severity(ResultSeverityEnum s) {
    return switch (s) {
      case FATAL, ERROR -> ValidationReport.Severity.ERROR;
      case WARNING -> ValidationReport.Severity.WARNING;
      case INFORMATION -> ValidationReport.Severity.INFORMATION;
    };
  }
}
