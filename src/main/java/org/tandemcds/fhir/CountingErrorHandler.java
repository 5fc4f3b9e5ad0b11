package org.tandemcds.fhir;

import ca.uhn.fhir.parser.IParserErrorHandler;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ScalarType;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue.ValueType;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * A lenient parser error handler that never throws but remembers each issue by kind and element
 * name (never by value, which may be patient data), so a caller can log what was tolerated.
 */
final class CountingErrorHandler implements IParserErrorHandler {
  private final List<String> issues = new ArrayList<>();

  void log(Logger log, String sourceName) {
    if (!issues.isEmpty()) {
      log.warn(
          "{}: tolerated {} FHIR content issue(s), e.g. {}",
          sourceName,
          issues.size(),
          issues.subList(0, Math.min(5, issues.size())));
    }
  }

  private void add(String kind, IParseLocation location, String name) {
    String parent = location == null ? null : location.getParentElementName();
    issues.add(kind + " " + (parent == null ? "" : parent + ".") + (name == null ? "" : name));
  }

  @Override
  public void containedResourceWithNoId(IParseLocation location) {
    add("contained resource without id", location, null);
  }

  @Override
  public void incorrectJsonType(
      IParseLocation location,
      String elementName,
      ValueType expectedValueType,
      ScalarType expectedScalarType,
      ValueType foundValueType,
      ScalarType foundScalarType) {
    add("incorrect JSON type", location, elementName);
  }

  @Override
  public void invalidValue(IParseLocation location, String value, String error) {
    add("invalid value", location, null);
  }

  @Override
  public void missingRequiredElement(IParseLocation location, String elementName) {
    add("missing required element", location, elementName);
  }

  @Override
  public void unexpectedRepeatingElement(IParseLocation location, String elementName) {
    add("unexpected repeating element", location, elementName);
  }

  @Override
  public void unknownAttribute(IParseLocation location, String attributeName) {
    add("unknown attribute", location, attributeName);
  }

  @Override
  public void unknownElement(IParseLocation location, String elementName) {
    add("unknown element", location, elementName);
  }

  @Override
  public void unknownReference(IParseLocation location, String reference) {
    add("unknown reference", location, null);
  }

  @Override
  public void invalidInternalReference(IParseLocation location, String reference) {
    add("invalid internal reference", location, null);
  }

  @Override
  public void extensionContainsValueAndNestedExtensions(IParseLocation location) {
    add("extension with value and nested extensions", location, null);
  }
}
