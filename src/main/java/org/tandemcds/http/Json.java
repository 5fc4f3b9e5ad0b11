package org.tandemcds.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/** JSON in and out of the review and CDS Hooks APIs (FHIR JSON comes from {@code fhir}). */
final class Json {
  static final String FHIR_JSON = "application/fhir+json";
  static final ObjectMapper MAPPER = new ObjectMapper().findAndRegisterModules();

  private Json() {}

  static JsonNode body(Context ctx) {
    try {
      JsonNode node = MAPPER.readTree(ctx.body());
      if (node == null || !node.isObject()) {
        throw new CdsException(ErrorCode.INVALID_ARGUMENT, "request body is not a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new CdsException(ErrorCode.INVALID_ARGUMENT, "request body is not JSON");
    }
  }

  static void send(Context ctx, Object value) {
    try {
      ctx.contentType("application/json").result(MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new CdsException(ErrorCode.INTERNAL, "response cannot be written as JSON", e);
    }
  }

  static void sendFhir(Context ctx, String fhirJson) {
    ctx.contentType(FHIR_JSON).result(fhirJson);
  }

  static JsonNode parse(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new CdsException(ErrorCode.INTERNAL, "stored JSON is not readable", e);
    }
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }
}
