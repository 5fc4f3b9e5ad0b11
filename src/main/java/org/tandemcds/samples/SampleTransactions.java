package org.tandemcds.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/** A sample study's notes as a FHIR transaction, the way an EHR would POST them to Tandem. */
public final class SampleTransactions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SampleTransactions() {}

  /**
   * The study folder's collection {@code bundle.json} as a transaction Bundle, each entry a POST.
   */
  public static byte[] of(Path studyFolder) throws IOException {
    ObjectNode bundle = (ObjectNode) JSON.readTree(studyFolder.resolve("bundle.json").toFile());
    bundle.put("type", "transaction");
    for (JsonNode entry : bundle.withArray("entry")) {
      String type = entry.path("resource").path("resourceType").asText();
      ((ObjectNode) entry).putObject("request").put("method", "POST").put("url", type);
    }
    return JSON.writeValueAsBytes(bundle);
  }
}
