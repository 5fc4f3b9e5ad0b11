package org.tandemcds.review;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A CDS Hooks card, field for field as the specification names them.
 *
 * @param uuid the card's id; for a suggestion, its DiagnosticReport id (feedback names it)
 * @param summary under 140 characters
 * @param detail markdown
 * @param indicator {@code critical}, {@code warning} or {@code info}
 * @param source what produced it
 * @param links the review of the suggestion
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Card(
    String uuid, String summary, String detail, String indicator, Source source, List<Link> links) {
  public Card {
    links = List.copyOf(links);
  }

  /** {@code source}: label, plus the model's name and version in {@code topic}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Source(String label, Topic topic) {}

  /** {@code source.topic}: a Coding. */
  public record Topic(String system, String code, String display) {}

  /** {@code links[]}: an absolute link. */
  public record Link(String label, String url, String type) {}
}
