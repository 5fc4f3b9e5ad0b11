package org.tandemcds.fhir;

import java.util.List;

/**
 * What one route module serves of FHIR, for the CapabilityStatement: a resource type with its
 * interactions ({@code create}, {@code read}, {@code search-type}...) and operations ({@code
 * analyze}), or the system level ({@code resourceType} empty) with {@code transaction}/{@code
 * batch}.
 */
public record FhirCapability(
    String resourceType, List<String> interactions, List<String> operations) {
  public FhirCapability {
    interactions = List.copyOf(interactions);
    operations = List.copyOf(operations);
  }
}
