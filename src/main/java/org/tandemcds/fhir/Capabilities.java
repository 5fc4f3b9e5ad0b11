package org.tandemcds.fhir;

import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementKind;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.CapabilityStatementRestResourceComponent;
import org.hl7.fhir.r4.model.CapabilityStatement.RestfulCapabilityMode;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;
import org.hl7.fhir.r4.model.CapabilityStatement.TypeRestfulInteraction;
import org.hl7.fhir.r4.model.Enumerations.FHIRVersion;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;

/**
 * The CapabilityStatement of a running server, built only from what its route modules declare
 * ({@link FhirCapability}), so it tells the truth about what is served. Thread-safe.
 */
public final class Capabilities {
  /** Canonical URL of the $analyze OperationDefinition. */
  public static final String ANALYZE_DEFINITION =
      "https://tandemcds.org/fhir/OperationDefinition/DiagnosticReport-analyze";

  private final Fhir fhir;
  private final boolean ingestAuthenticated;

  /**
   * @param ingestAuthenticated whether ingest and {@code $analyze} need a bearer token ({@code
   *     auth=bearer}) or are open to loopback callers ({@code auth=none})
   */
  public Capabilities(Fhir fhir, boolean ingestAuthenticated) {
    this.fhir = fhir;
    this.ingestAuthenticated = ingestAuthenticated;
  }

  /** What {@code rest.security.description} says about authentication on this server. */
  String securityDescription() {
    return "Reads of results and AuditEvents need an `Authorization: Bearer` token of a system"
        + " client with SMART-style scopes `system/<Type>.read` (tokens issued by the server's"
        + " operator, stored hashed) or a clinician session. "
        + (ingestAuthenticated
            ? "Ingest (transaction/batch, DocumentReference create, $analyze and its status) needs"
                + " a bearer token with `system/<Type>.write` for every type written."
            : "Ingest (transaction/batch, DocumentReference create, $analyze) is open: this"
                + " server runs without authentication on a loopback address only.");
  }

  /** The statement as FHIR JSON, for a server at {@code baseUrl} running {@code version}. */
  public String json(String baseUrl, String version, List<FhirCapability> served) {
    CapabilityStatement statement = new CapabilityStatement();
    statement.setStatus(PublicationStatus.ACTIVE);
    statement.setDate(new Date());
    statement.setKind(CapabilityStatementKind.INSTANCE);
    statement.setFhirVersion(FHIRVersion._4_0_1);
    statement.addFormat("json").addFormat("xml");
    statement.getSoftware().setName("Tandem").setVersion(version);
    statement
        .getImplementation()
        .setDescription("Tandem CDS: AI suggestions, clinician review required")
        .setUrl(baseUrl);
    CapabilityStatementRestComponent rest =
        statement.addRest().setMode(RestfulCapabilityMode.SERVER);
    rest.getSecurity().setDescription(securityDescription());
    Map<String, CapabilityStatementRestResourceComponent> byType = new LinkedHashMap<>();
    for (FhirCapability capability : served) {
      if (capability.resourceType().isEmpty()) {
        capability
            .interactions()
            .forEach(i -> rest.addInteraction().setCode(SystemRestfulInteraction.fromCode(i)));
        continue;
      }
      CapabilityStatementRestResourceComponent resource =
          byType.computeIfAbsent(capability.resourceType(), t -> rest.addResource().setType(t));
      capability
          .interactions()
          .forEach(i -> resource.addInteraction().setCode(TypeRestfulInteraction.fromCode(i)));
      capability
          .operations()
          .forEach(
              o ->
                  resource
                      .addOperation()
                      .setName(o)
                      .setDefinition(definition(capability.resourceType(), o)));
    }
    return fhir.context().newJsonParser().setPrettyPrint(true).encodeResourceToString(statement);
  }

  private static String definition(String resourceType, String operation) {
    return "https://tandemcds.org/fhir/OperationDefinition/" + resourceType + "-" + operation;
  }
}
