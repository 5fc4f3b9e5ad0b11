package org.tandemcds.fhir;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Resource;

/** Response Bundles of the FHIR endpoints, as JSON. Thread-safe. */
public final class FhirResponses {
  private final Fhir fhir;

  public FhirResponses(Fhir fhir) {
    this.fhir = fhir;
  }

  /** One entry of a transaction or batch response. */
  public record EntryResponse(String status, String location, String outcomeJson) {}

  /** A {@code transaction-response} or {@code batch-response} Bundle. */
  public String transactionResponse(boolean transaction, List<EntryResponse> entries) {
    Bundle bundle =
        new Bundle()
            .setType(transaction ? BundleType.TRANSACTIONRESPONSE : BundleType.BATCHRESPONSE);
    for (EntryResponse e : entries) {
      Bundle.BundleEntryResponseComponent response = bundle.addEntry().getResponse();
      response.setStatus(e.status());
      if (e.location() != null) {
        response.setLocation(e.location());
      }
      if (e.outcomeJson() != null) {
        response.setOutcome(parse(e.outcomeJson()));
      }
    }
    return encode(bundle);
  }

  /**
   * The completed response of an asynchronous request: a {@code batch-response} Bundle whose one
   * entry holds {@code resultBundleJson} with status {@code 200 OK}.
   */
  public String asyncResult(String resultBundleJson) {
    Bundle bundle = new Bundle().setType(BundleType.BATCHRESPONSE);
    Bundle.BundleEntryComponent entry = bundle.addEntry().setResource(parse(resultBundleJson));
    entry.getResponse().setStatus("200 OK");
    return encode(bundle);
  }

  private Resource parse(String json) {
    return fhir.parse(json.getBytes(StandardCharsets.UTF_8), "response");
  }

  private String encode(Resource resource) {
    return fhir.context().newJsonParser().encodeResourceToString(resource);
  }
}
