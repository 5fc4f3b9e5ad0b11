#!/usr/bin/python3
"""Reference values for Tandem's evaluate package, computed with scikit-learn and numpy.

Written independently of the Java code: it uses sklearn.metrics for AUROC, ROC curves, average
precision and confusion matrices, numpy for calibration bins and percentiles. The bootstrap draws
case indices with a re-implementation of java.util.Random (the algorithm its Javadoc specifies),
so its resamples are the ones the Java code draws; each resample's AUROC comes from sklearn.

usage: reference_metrics.py input.json output.json
"""
import json
import sys

import numpy as np
from sklearn.metrics import average_precision_score, confusion_matrix, roc_auc_score, roc_curve


class JavaRandom:
    MULT, ADD, MASK = 0x5DEECE66D, 0xB, (1 << 48) - 1

    def __init__(self, seed):
        self.seed = (seed ^ self.MULT) & self.MASK

    def next_bits(self, bits):
        self.seed = (self.seed * self.MULT + self.ADD) & self.MASK
        return self.seed >> (48 - bits)

    def next_int(self, bound):
        r = self.next_bits(31)
        m = bound - 1
        if bound & m == 0:
            return (bound * r) >> 31
        u = r
        r = u % bound
        while u - r + m >= 2**31:  # the int overflow test of java.util.Random.nextInt(bound)
            u = self.next_bits(31)
            r = u % bound
        return r


def ece(p, y, bins):
    idx = np.minimum(np.floor(p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        sel = idx == b
        if sel.any():
            total += sel.sum() * abs(y[sel].mean() - p[sel].mean())
    return total / len(p)


def both_classes(y):
    return 0 < y.sum() < len(y)


def bootstrap(n, seed, resamples, statistic):
    rng = JavaRandom(seed)
    values = []
    for _ in range(resamples):
        idx = np.array([rng.next_int(n) for _ in range(n)])
        v = statistic(idx)
        if v is not None:
            values.append(v)
    lo, hi = np.percentile(values, [2.5, 97.5])
    return {"lower": float(lo), "upper": float(hi), "used": len(values)}


def macro_auroc(p, y, findings, idx):
    if not all(both_classes(y[idx, k]) for k in findings):
        return None
    return float(np.mean([roc_auc_score(y[idx, k], p[idx, k]) for k in findings]))


def finding_values(p, y, t, bins):
    out = {"ap": None, "auroc": None, "roc": []}
    tn, fp, fn, tp = confusion_matrix(y, (p >= t).astype(int), labels=[0, 1]).ravel()
    out["counts"] = [int(tp), int(fp), int(tn), int(fn)]
    out["ece"] = ece(p, y, bins)
    if y.sum() > 0:
        out["ap"] = float(average_precision_score(y, p))
    if both_classes(y):
        out["auroc"] = float(roc_auc_score(y, p))
        fpr, tpr, thr = roc_curve(y, p, drop_intermediate=False)
        out["roc"] = [[float(a), float(b), float(c)] for a, b, c in zip(thr[1:], fpr[1:], tpr[1:])]
    return out


def main():
    data = json.load(open(sys.argv[1]))
    bins, resamples, seed = data["bins"], data["resamples"], data["seed"]
    sets = []
    arrays = [(np.array(s["probabilities"]), np.array(s["labels"])) for s in data["sets"]]
    for (p, y), thresholds in zip(arrays, [s["thresholds"] for s in data["sets"]]):
        included = [k for k in range(y.shape[1]) if both_classes(y[:, k])]
        n = y.shape[0]
        sets.append({
            "findings": [finding_values(p[:, k], y[:, k], thresholds[k], bins)
                         for k in range(y.shape[1])],
            "included": included,
            "pooledEce": ece(p.ravel(), y.ravel(), bins),
            "interval": bootstrap(n, seed, resamples,
                                  lambda idx, p=p, y=y: macro_auroc(p, y, included, idx)),
        })
    differences = []
    for i in range(len(arrays)):
        for j in range(i + 1, len(arrays)):
            (pa, y), (pb, _) = arrays[i], arrays[j]
            inc = sets[i]["included"]
            def diff(idx):
                a, b = macro_auroc(pa, y, inc, idx), macro_auroc(pb, y, inc, idx)
                return None if a is None else a - b
            differences.append(bootstrap(y.shape[0], seed, resamples, diff))
    json.dump({"sets": sets, "differences": differences}, open(sys.argv[2], "w"))


main()
