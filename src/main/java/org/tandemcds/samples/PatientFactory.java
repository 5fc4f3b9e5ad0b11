package org.tandemcds.samples;

import java.util.List;
import java.util.Locale;

/**
 * Makes synthetic patients. Each site has an assigning authority: DICOM IssuerOfPatientID {@code
 * TDM-SYNTH-<SITE>} (with the same OID as UniversalEntityID in IssuerOfPatientIDQualifiersSequence)
 * and FHIR Identifier.system {@code urn:oid:<that OID>}.
 */
final class PatientFactory {
  /** Site letter → OID of its patient-identifier assigning authority. */
  static final String OID_SITE_A = "2.25.226004380215473906216373196417541627351";

  static final String OID_SITE_B = "2.25.302841767013208226871633524306719480113";

  private static final List<String> FAMILY =
      List.of(
          "Okafor",
          "Lindqvist",
          "Moreau",
          "Haddad",
          "Nakamura",
          "Kowalski",
          "Fitzgerald",
          "Oyelaran",
          "Silva",
          "Brennan",
          "Petrov",
          "Castillo",
          "Andersen",
          "Mbeki",
          "Rossi",
          "Dubois",
          "Tanaka",
          "Novak",
          "Quinn",
          "Ferreira",
          "Ahmed",
          "Jansen",
          "Walsh",
          "Ortega",
          "Schmidt",
          "Kaur",
          "Baker",
          "Ivanova",
          "Nguyen",
          "Moyo");
  private static final List<String> GIVEN_F =
      List.of(
          "Amara", "Ingrid", "Claire", "Leila", "Yuki", "Zofia", "Maeve", "Ada", "Lucia", "Nora",
          "Elena", "Grace", "Priya", "Hanna", "Rosa");
  private static final List<String> GIVEN_M =
      List.of(
          "Chidi", "Lars", "Julien", "Omar", "Kenji", "Tomasz", "Declan", "Tunde", "Mateo",
          "Samuel", "Dmitri", "Arjun", "Pieter", "Kwame", "Luis");

  SamplePatient create(Rng rng, String site) {
    boolean female = rng.chance(0.5);
    int age = 20 + (int) Math.round(72 * Math.sqrt(rng.uniform()));
    String letter = siteLetter(rng, site);
    String oid = letter.equals("A") ? OID_SITE_A : OID_SITE_B;
    String id = String.format(Locale.ROOT, "SYN%07d", rng.between(0, 9_999_999));
    int smoking = rng.weighted(0.45, 0.30, 0.25);
    int packYears = smoking == 0 ? 0 : rng.between(5, 70);
    String birth =
        String.format(
            Locale.ROOT, "%04d%02d%02d", 2024 - age, rng.between(1, 12), rng.between(1, 28));
    return new SamplePatient(
        id,
        "TDM-SYNTH-" + letter,
        "urn:oid:" + oid,
        rng.pick(FAMILY),
        rng.pick(female ? GIVEN_F : GIVEN_M),
        birth,
        female ? "F" : "M",
        age,
        List.of("never", "former", "current").get(smoking),
        packYears);
  }

  private static String siteLetter(Rng rng, String site) {
    return switch (site) {
      case "a" -> "A";
      case "b" -> "B";
      default -> rng.chance(0.5) ? "A" : "B";
    };
  }
}
