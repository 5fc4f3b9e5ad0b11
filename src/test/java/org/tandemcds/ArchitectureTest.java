package org.tandemcds;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;

/** The package boundaries of ARCHITECTURE.md, each with the reason it exists. */
@AnalyzeClasses(packages = "org.tandemcds", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule pixelmed_stays_in_the_dicom_adapter =
      noClasses()
          .that()
          .resideOutsideOfPackage("..dicom..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.pixelmed..")
          .because(
              "the design card names dcm4che; PixelMed stands in for it, so a swap must touch only"
                  + " the dicom package");

  @ArchTest
  static final ArchRule hapi_stays_in_the_fhir_adapter =
      noClasses()
          .that()
          .resideOutsideOfPackage("..fhir..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("ca.uhn..", "org.hl7.fhir..")
          .because(
              "one FhirContext per process lives in the fhir package; stages see library-free"
                  + " records");

  @ArchTest
  static final ArchRule opennlp_stays_in_the_nlp_adapter =
      noClasses()
          .that()
          .resideOutsideOfPackage("..nlp..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("opennlp..")
          .because("OpenNLP models and their thread-safety rules are the nlp package's concern");

  @ArchTest
  static final ArchRule djl_stays_in_model_code =
      noClasses()
          .that()
          .resideOutsideOfPackages("..model..", "..encode..", "..fuse..", "..explain..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("ai.djl..")
          .because("NDArrays live in NDManager scopes that only model code opens and closes");

  @ArchTest
  static final ArchRule javalin_stays_in_the_http_adapter =
      noClasses()
          .that()
          .resideOutsideOfPackage("..http..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.javalin..", "org.eclipse.jetty..")
          .because("HTTP is an edge: stages never see requests or responses");

  @ArchTest
  static final ArchRule micrometer_stays_in_the_metrics_package =
      noClasses()
          .that()
          .resideOutsideOfPackage("..metrics..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.micrometer..", "io.prometheus..")
          .because(
              "metric names and labels are chosen in one place, where no patient data can become a"
                  + " label");

  @ArchTest
  static final ArchRule database_libraries_stay_in_the_store =
      noClasses()
          .that()
          .resideOutsideOfPackage("..store..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.flywaydb..", "com.zaxxer.hikari..", "org.h2..", "org.postgresql..")
          .because(
              "one SQL dialect for H2 and PostgreSQL is kept in one package, with its migrations");

  @ArchTest
  static final ArchRule jose_stays_in_security =
      noClasses()
          .that()
          .resideOutsideOfPackage("..security..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("com.nimbusds..")
          .because(
              "which algorithms, keys and claims a JWT must have is decided in one package, so no"
                  + " caller can verify a token by hand or accept alg none");

  @ArchTest
  static final ArchRule picocli_stays_in_the_command_line =
      noClasses()
          .that()
          .resideOutsideOfPackage("..cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("picocli..")
          .because("the command line is an edge, like HTTP and DICOM");

  @ArchTest
  static final ArchRule domain_records_carry_no_library_types =
      classes()
          .that()
          .resideInAPackage("org.tandemcds.domain..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("org.tandemcds.domain..", "java..")
          .because("records pass between stages and adapters; a library type there would leak");

  @ArchTest
  static final ArchRule only_the_command_line_writes_to_standard_streams =
      noClasses()
          .that()
          .resideOutsideOfPackage("..cli..")
          .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
          .because("everything else logs through SLF4J, where identifiers are kept out");

  @ArchTest
  static final ArchRule no_generic_exceptions =
      GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;

  @ArchTest
  static final ArchRule no_java_util_logging =
      GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING;
}
