"""Independent oracle for DicomdirIT: what pydicom 2.3.1 finds through a DICOMDIR.

Usage: dicomdir_facts.py DICOMDIR
Prints one tab-separated line per directory record that has a ReferencedFileID:
referenced path (resolved against the DICOMDIR's folder), exists (True|False), and, read from the
referenced file itself with pydicom: has_pixel_data, StudyInstanceUID, SeriesInstanceUID,
SOPInstanceUID (empty when the file does not exist).
"""
import os
import sys
import pydicom


def main(dicomdir):
    folder = os.path.dirname(os.path.abspath(dicomdir))
    ds = pydicom.dcmread(dicomdir)
    for record in ds.DirectoryRecordSequence:
        if "ReferencedFileID" not in record:
            continue
        parts = record.ReferencedFileID
        parts = [parts] if isinstance(parts, str) else list(parts)
        path = os.path.join(folder, *parts)
        row = [path, str(os.path.exists(path))]
        if os.path.exists(path):
            f = pydicom.dcmread(path, stop_before_pixels=False)
            row += [str("PixelData" in f), str(f.StudyInstanceUID), str(f.SeriesInstanceUID),
                    str(f.SOPInstanceUID)]
        else:
            row += ["", "", "", ""]
        print("\t".join(row))


if __name__ == "__main__":
    main(sys.argv[1])
