"""Independent oracle for PydicomCorpusIT: per file, what pydicom 2.3.1 sees.

Prints one tab-separated line per file:
path, status (ok|unreadable), has_pixel_data, rows, columns, frames, samples, bits_allocated,
bits_stored, transfer_syntax, sop_class, and 'array' with a sha-free dump path when asked.
With --array FILE OUT it writes pydicom's pixel_array (first frame, first sample plane not
reduced) as little-endian int32 values to OUT.
"""
import sys
import pydicom


def facts(path):
    try:
        ds = read(path)
    except Exception as e:  # pydicom cannot read it at all
        return [path, "unreadable", type(e).__name__]
    meta = getattr(ds, "file_meta", None)
    syntax = str(meta.get("TransferSyntaxUID", "")) if meta is not None else ""
    sop = str(ds.get("SOPClassUID", "") or (meta.get("MediaStorageSOPClassUID", "") if meta is not None else ""))
    return [path, "ok", str("PixelData" in ds), str(ds.get("Rows", "")), str(ds.get("Columns", "")),
            str(ds.get("NumberOfFrames", "") or 1), str(ds.get("SamplesPerPixel", "") or 1),
            str(ds.get("BitsAllocated", "")), str(ds.get("BitsStored", "")), syntax, sop]


def read(path):
    """As pydicom reads it; a bare data set (no preamble) only when it names a SOP class."""
    try:
        return pydicom.dcmread(path)
    except pydicom.errors.InvalidDicomError:
        ds = pydicom.dcmread(path, force=True)
        if "SOPClassUID" not in ds:
            raise
        return ds


def array(path, out):
    import numpy as np
    from pydicom.pixel_data_handlers.util import convert_color_space
    ds = pydicom.dcmread(path)
    arr = ds.pixel_array
    pi = str(ds.get("PhotometricInterpretation", ""))
    if pi.startswith("YBR_FULL") and ds.file_meta.TransferSyntaxUID.is_compressed:
        arr = convert_color_space(arr, "YBR_FULL", "RGB")  # pydicom leaves JPEG YCbCr as is
    np.asarray(arr, dtype="<i4").tofile(out)
    print(" ".join(str(n) for n in arr.shape))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--array":
        array(sys.argv[2], sys.argv[3])
    else:
        for p in sys.stdin.read().splitlines():
            print("\t".join(facts(p)))
