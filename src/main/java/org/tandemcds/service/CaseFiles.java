package org.tandemcds.service;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.tandemcds.dicom.InstanceHeader;
import org.tandemcds.domain.AnalysisRequest;
import org.tandemcds.domain.CdsException;
import org.tandemcds.domain.ErrorCode;
import org.tandemcds.store.InstanceKey;
import org.tandemcds.store.Job;
import org.tandemcds.store.NoteStore;
import org.tandemcds.store.StudyStore;

/**
 * Lays out one job's inputs for the pipeline in a work folder ({@code <dataDir>/work/job-<id>-<
 * attempt>}): the job's instances exactly (hard links into the study store, a copy where links are
 * not possible), and its notes as FHIR files: the ones the job names, or the patient's stored notes
 * dated within the window before the StudyDate (undated notes included). Thread-safe.
 */
public final class CaseFiles {
  private final StudyStore studies;
  private final NoteStore notes;
  private final Path work;
  private final Duration noteWindow;
  private final Optional<EhrNoteSource> ehr;

  /**
   * @param ehr where a study's notes are fetched when Tandem holds none for it (empty: no EHR)
   */
  public CaseFiles(
      StudyStore studies,
      NoteStore notes,
      Path dataDir,
      Duration noteWindow,
      Optional<EhrNoteSource> ehr) {
    this.studies = studies;
    this.notes = notes;
    this.work = dataDir.resolve("work");
    this.noteWindow = noteWindow;
    this.ehr = ehr;
  }

  /** A job's request and where its notes came from (or why there are none), recorded on the run. */
  public record Prepared(AnalysisRequest request, String notesSource) {}

  /**
   * The request for {@code job}, its files laid out. Delete with {@link #delete}. Notes: the ones
   * the job names; else the patient's stored notes from the window; else, with an EHR configured,
   * the ones fetched from it into the note store (an unreachable EHR delays this job by its
   * retries, then the study is analysed image-only and the source says why).
   */
  public Prepared prepare(Job job) {
    Path folder = folder(job);
    try {
      delete(job);
      Path studyDir = Files.createDirectories(folder.resolve("study"));
      List<Path> instances = linkInstances(job, studyDir);
      NotesFound found = notesOf(job, instances.get(0));
      List<Path> noteFiles = writeNotes(found.refs(), folder.resolve("notes"));
      return new Prepared(
          new AnalysisRequest("job-" + job.id(), Optional.of(studyDir), noteFiles), found.source());
    } catch (IOException e) {
      throw new CdsException(ErrorCode.IO_FAILURE, "cannot lay out job " + job.id(), e);
    }
  }

  /** Removes the work folder of {@code job}, if any. */
  public void delete(Job job) {
    Path folder = folder(job);
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(folder)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new CdsException(
          ErrorCode.IO_FAILURE, "cannot delete work folder of job " + job.id(), e);
    }
  }

  private Path folder(Job job) {
    return work.resolve("job-" + job.id() + "-" + job.lease().attempt());
  }

  private List<Path> linkInstances(Job job, Path studyDir) throws IOException {
    Set<String> wanted = new HashSet<>(job.key().sopInstanceUids());
    List<Path> linked = new ArrayList<>();
    for (InstanceKey key : studies.instances(job.key().studyInstanceUid())) {
      if (wanted.remove(key.sopInstanceUid())) {
        linked.add(link(studies.path(key), studyDir.resolve(key.sopInstanceUid() + ".dcm")));
      }
    }
    if (!wanted.isEmpty() || linked.isEmpty()) {
      throw new CdsException(
          ErrorCode.STUDY_NOT_FOUND,
          "job " + job.id() + ": " + wanted.size() + " instance(s) of the study are not stored");
    }
    return linked;
  }

  private static Path link(Path stored, Path target) throws IOException {
    try {
      return Files.createLink(target, stored);
    } catch (UnsupportedOperationException | IOException e) {
      return Files.copy(stored, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private record NotesFound(List<String> refs, String source) {}

  private NotesFound notesOf(Job job, Path anyInstance) {
    if (!job.key().noteRefs().isEmpty()) {
      return new NotesFound(job.key().noteRefs(), "notes named in the request");
    }
    InstanceHeader header = InstanceHeader.read(anyInstance, anyInstance.getFileName().toString());
    if (header.patientId().value().isBlank()) {
      return new NotesFound(List.of(), "image-only: the study has no PatientID");
    }
    LocalDate to = studyDate(header.studyDate()).plusDays(1);
    LocalDate from = to.minusDays(1 + Math.max(0, noteWindow.toDays()));
    List<String> stored = window(header, from, to);
    if (!stored.isEmpty()) {
      return new NotesFound(stored, "stored notes");
    }
    if (ehr.isEmpty()) {
      return new NotesFound(List.of(), "image-only: no stored note in the window");
    }
    EhrNoteSource.Outcome fetched = ehr.get().fetch(header.patientId(), from, to);
    List<String> refs = window(header, from, to);
    if (refs.isEmpty() && fetched.failure().isEmpty()) {
      return new NotesFound(refs, "image-only: the EHR has no note in the window");
    }
    return new NotesFound(refs, fetched.reason());
  }

  private List<Path> writeNotes(List<String> refs, Path notesDir) throws IOException {
    List<Path> files = new ArrayList<>();
    if (!refs.isEmpty()) {
      Files.createDirectories(notesDir);
    }
    for (String ref : refs) {
      int slash = ref.indexOf('/');
      byte[] content =
          notes
              .read(ref.substring(0, slash), ref.substring(slash + 1))
              .orElseThrow(
                  () -> new CdsException(ErrorCode.NOTE_NOT_FOUND, ref + " is not stored"));
      files.add(Files.write(notesDir.resolve(ref.replace('/', '-') + ".json"), content));
    }
    return files;
  }

  private List<String> window(InstanceHeader header, LocalDate from, LocalDate to) {
    return notes.notesFor(LookupKeys.of(header.patientId().value()), from, to);
  }

  private static LocalDate studyDate(String written) {
    try {
      return LocalDate.parse(written, DateTimeFormatter.BASIC_ISO_DATE);
    } catch (DateTimeParseException e) {
      return LocalDate.now(java.time.ZoneOffset.UTC);
    }
  }
}
