package org.tandemcds.fhir;

import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import ca.uhn.fhir.rest.client.api.IRestfulClientFactory;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Identifier;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;

/**
 * Notes from the EHR's FHIR server, with HAPI's generic client: {@code GET
 * [base]/DocumentReference?patient.identifier=system|value&date=ge<from>&date=lt<to>}, every page
 * followed. Each DocumentReference found is returned as FHIR JSON; one whose {@code subject} names
 * the patient only by reference gets the searched identifier added, since the search matched it by
 * that identifier (Tandem pairs notes by patient identifier, not by the EHR's ids).
 *
 * <p>Every request carries {@code Authorization: Bearer <token>} from the token supplier (a static
 * token, or SMART Backend Services). Thread-safe (HAPI's generic client is). Errors: {@link
 * ErrorCode#EHR_UNREACHABLE} (connection failed or timed out, HTTP 5xx, or no token), {@link
 * ErrorCode#EHR_REFUSED} (HTTP 4xx).
 */
public final class EhrNotes {
  private static final int MAX_PAGES = 20;

  private final Fhir fhir;
  private final IGenericClient client;

  /**
   * @param baseUrl the EHR's FHIR base URL
   * @param token the bearer token for each request
   * @param timeout connect and read timeout
   */
  public EhrNotes(Fhir fhir, String baseUrl, Supplier<String> token, Duration timeout) {
    this.fhir = fhir;
    IRestfulClientFactory factory = fhir.context().getRestfulClientFactory();
    factory.setServerValidationMode(ServerValidationModeEnum.NEVER);
    factory.setConnectTimeout((int) timeout.toMillis());
    factory.setSocketTimeout((int) timeout.toMillis());
    this.client = fhir.context().newRestfulGenericClient(baseUrl);
    client.registerInterceptor(new BearerToken(token));
  }

  /**
   * The DocumentReferences of the patient {@code system|value} dated from {@code from} (inclusive)
   * to {@code to} (exclusive), as FHIR JSON.
   *
   * @throws CdsException {@link ErrorCode#EHR_UNREACHABLE}, {@link ErrorCode#EHR_REFUSED}, {@link
   *     ErrorCode#EHR_TOKEN_FAILED}
   */
  public List<byte[]> search(String system, String value, LocalDate from, LocalDate to) {
    try {
      Bundle page =
          client
              .search()
              .forResource(DocumentReference.class)
              .where(
                  new TokenClientParam("patient.identifier").exactly().systemAndCode(system, value))
              .and(DocumentReference.DATE.afterOrEquals().day(date(from)))
              .and(DocumentReference.DATE.before().day(date(to)))
              .returnBundle(Bundle.class)
              .execute();
      List<byte[]> notes = new ArrayList<>();
      for (int pages = 1; ; pages++) {
        collect(page, system, value, notes);
        if (page.getLink(Bundle.LINK_NEXT) == null || pages == MAX_PAGES) {
          return notes;
        }
        page = client.loadPage().next(page).execute();
      }
    } catch (FhirClientConnectionException e) {
      throw new CdsException(ErrorCode.EHR_UNREACHABLE, "DocumentReference search: " + cause(e), e);
    } catch (BaseServerResponseException e) {
      ErrorCode code = e.getStatusCode() >= 500 ? ErrorCode.EHR_UNREACHABLE : ErrorCode.EHR_REFUSED;
      throw new CdsException(code, "DocumentReference search: HTTP " + e.getStatusCode(), e);
    }
  }

  private void collect(Bundle page, String system, String value, List<byte[]> notes) {
    for (Bundle.BundleEntryComponent entry : page.getEntry()) {
      if (entry.getResource() instanceof DocumentReference note) {
        if (!note.getSubject().hasIdentifier()) {
          note.getSubject().setIdentifier(new Identifier().setSystem(system).setValue(value));
        }
        notes.add(
            fhir.context()
                .newJsonParser()
                .encodeResourceToString(note)
                .getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static Date date(LocalDate day) {
    return Date.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  private static String cause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName();
  }

  /** Adds the bearer token to every request; a token failure surfaces as the client's error. */
  private static final class BearerToken implements IClientInterceptor {
    private final Supplier<String> token;

    BearerToken(Supplier<String> token) {
      this.token = token;
    }

    @Override
    public void interceptRequest(IHttpRequest request) {
      request.addHeader("Authorization", "Bearer " + token.get());
    }

    @Override
    public void interceptResponse(IHttpResponse response) {
      // nothing to do with the answer
    }
  }
}
