package org.tandemcds.fhir;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Resolves references inside one input: contained resources ({@code #id}) of the referring
 * resource, then the entries of the enclosing Bundle by fullUrl, by {@code Type/id}, or by the last
 * two segments of an absolute reference. Nothing is fetched from a server.
 */
final class ResourceIndex {
  private final Map<String, Resource> byKey = new HashMap<>();

  static ResourceIndex empty() {
    return new ResourceIndex();
  }

  static ResourceIndex of(Bundle bundle) {
    ResourceIndex index = new ResourceIndex();
    for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
      if (entry.hasResource()) {
        index.add(entry.getFullUrl(), entry.getResource());
      }
    }
    return index;
  }

  private void add(String fullUrl, Resource resource) {
    if (fullUrl != null && !fullUrl.isBlank()) {
      byKey.putIfAbsent(fullUrl.strip(), resource);
      byKey.putIfAbsent(typeAndId(fullUrl.strip()), resource);
    }
    String id = resource.getIdElement().getIdPart();
    if (id != null && !id.isBlank()) {
      byKey.putIfAbsent(resource.fhirType() + "/" + id, resource);
    }
  }

  /** The resource a reference points to, if it is contained, already linked, or in the Bundle. */
  Optional<Resource> resolve(Reference reference, Resource from) {
    if (reference == null || reference.isEmpty()) {
      return Optional.empty();
    }
    if (reference.getResource() instanceof Resource linked) {
      return Optional.of(linked);
    }
    return resolve(reference.getReference(), from);
  }

  /** The resource a literal reference or url points to ({@code #id}, fullUrl, {@code Type/id}). */
  Optional<Resource> resolve(String literal, Resource from) {
    if (literal == null || literal.isBlank()) {
      return Optional.empty();
    }
    String key = withoutHistory(literal.strip());
    if (key.startsWith("#")) {
      return contained(key.substring(1), from);
    }
    Resource found = byKey.get(key);
    return Optional.ofNullable(found != null ? found : byKey.get(typeAndId(key)));
  }

  private static Optional<Resource> contained(String id, Resource from) {
    if (!(from instanceof DomainResource domain)) {
      return Optional.empty();
    }
    return domain.getContained().stream()
        .filter(r -> id.equals(stripHash(r.getIdElement().getIdPart())))
        .findFirst();
  }

  private static String stripHash(String id) {
    return id != null && id.startsWith("#") ? id.substring(1) : id;
  }

  private static String withoutHistory(String reference) {
    int history = reference.indexOf("/_history/");
    return history < 0 ? reference : reference.substring(0, history);
  }

  /** The last two path segments ({@code Type/id}) of a url, or the url itself. */
  static String typeAndId(String url) {
    String path = withoutHistory(url);
    int last = path.lastIndexOf('/');
    int previous = last <= 0 ? -1 : path.lastIndexOf('/', last - 1);
    return last <= 0 ? path : path.substring(previous + 1);
  }
}
