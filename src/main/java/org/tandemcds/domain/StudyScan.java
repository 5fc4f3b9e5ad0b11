package org.tandemcds.domain;

import java.util.List;

/** What a scan of a file, folder or DICOMDIR found: the studies and every file not used. */
public record StudyScan(List<ImagingStudy> studies, List<FileRejection> rejections) {
  public StudyScan {
    studies = List.copyOf(studies);
    rejections = List.copyOf(rejections);
  }
}
