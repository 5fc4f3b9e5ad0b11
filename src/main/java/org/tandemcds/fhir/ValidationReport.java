package org.tandemcds.fhir;

import java.util.List;

/** What the validator said about one resource. */
public record ValidationReport(List<Issue> issues) {
  public ValidationReport {
    issues = List.copyOf(issues);
  }

  /** Severity of an issue. */
  public enum Severity {
    ERROR,
    WARNING,
    INFORMATION
  }

  /** One message: severity, where (FHIRPath) and what. */
  public record Issue(Severity severity, String location, String message) {
    @Override
    public String toString() {
      return severity + " " + location + ": " + message;
    }
  }

  /** The issues of one severity. */
  public List<Issue> of(Severity severity) {
    return issues.stream().filter(i -> i.severity() == severity).toList();
  }

  /** Whether the resource has no error (warnings and information may remain). */
  public boolean valid() {
    return of(Severity.ERROR).isEmpty();
  }
}
