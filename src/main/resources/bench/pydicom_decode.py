"""Decode-and-normalise timing with pydicom, the reference Tandem's ingest benchmark runs beside itself.

Usage: python3 pydicom_decode.py REPEATS FILE...
Prints one JSON object per file: {"file", "ok", "median_ms", "frames", "rows", "columns", "error"}.
For each file: one warm-up, then REPEATS timed runs of read + decode + modality LUT + VOI
(window or VOI LUT, as pydicom applies them) + scaling to float32 in [0, 1] — the same work as
Tandem's StudyReader.readInstance.
"""
import json
import statistics
import sys
import time

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut, apply_voi_lut


def decode(path):
    ds = pydicom.dcmread(path)
    arr = apply_voi_lut(apply_modality_lut(ds.pixel_array, ds), ds).astype(np.float32)
    lo, hi = float(arr.min()), float(arr.max())
    arr = (arr - lo) / (hi - lo) if hi > lo else np.zeros_like(arr)
    if ds.get("PhotometricInterpretation", "") == "MONOCHROME1":
        arr = 1.0 - arr
    return ds, arr


def main():
    repeats = int(sys.argv[1])
    for path in sys.argv[2:]:
        result = {"file": path}
        try:
            ds, _ = decode(path)
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                decode(path)
                times.append((time.perf_counter() - start) * 1000.0)
            result.update(ok=True, median_ms=statistics.median(times),
                          frames=int(ds.get("NumberOfFrames", 1) or 1),
                          rows=int(ds.Rows), columns=int(ds.Columns))
        except Exception as e:  # noqa: BLE001 - the benchmark reports, it does not judge
            result.update(ok=False, error=type(e).__name__ + ": " + str(e)[:200])
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
