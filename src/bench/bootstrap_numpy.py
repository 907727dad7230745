#!/usr/bin/env python3
"""numpy side of src/bench/bootstrap.sh: the patient bootstrap of FID with the stream of PatientBootstrap
(re-implemented in src/test/python/bootstrap_reference.py), P patients per side as contiguous blocks of rows.

  python3 src/bench/bootstrap_numpy.py DIR B P SEED [SQRTM]

Per resample: np.cov of the resampled rows and the trace of sqrtm(S1 S2) by symmetric eigenvalues
(eigh of S1, eigvalsh of S1^1/2 S2 S1^1/2: the same quantity as pytorch-fid's scipy.linalg.sqrtm, which is several
times slower at d = 2048); SQRTM=1 uses scipy.linalg.sqrtm itself. The plan is drawn before the clock starts.
Prints JSON: interval, first values, seconds, BLAS kernel.
"""
import json
import os
import sys
import time

import numpy as np
import scipy.linalg

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "test", "python"))
sys.path.insert(0, HERE)
from bootstrap_reference import plan, resample  # noqa: E402
from metrics_numpy import blas_kernel  # noqa: E402
from metrics_reference import fid_pytorch_fid  # noqa: E402


def fid_eigh(r, f):
    mu1, mu2 = r.mean(axis=0), f.mean(axis=0)
    s1, s2 = np.cov(r, rowvar=False), np.cov(f, rowvar=False)
    w, v = np.linalg.eigh(s1)
    root = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    ev = np.linalg.eigvalsh(root @ s2 @ root)
    diff = mu1 - mu2
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.sqrt(np.clip(ev, 0, None)).sum())


def main():
    out, b, p, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    use_sqrtm = len(sys.argv) > 5 and sys.argv[5] == "1"
    real = np.load(os.path.join(out, "real.npy")).astype(np.float64)
    fake = np.load(os.path.join(out, "fake.npy")).astype(np.float64)
    rp = (np.arange(real.shape[0]) * p // real.shape[0]).astype(np.int64)
    fp = (np.arange(fake.shape[0]) * p // fake.shape[0]).astype(np.int64)
    rc, fc = plan(seed, b, p, p)
    t0 = time.perf_counter()
    values = []
    for x, y in zip(rc, fc):
        r, f = resample(real, rp, x), resample(fake, fp, y)
        values.append(fid_pytorch_fid(r, f)[0] if use_sqrtm else fid_eigh(r, f))
    lo, hi = np.percentile(np.array(values), [2.5, 97.5])
    t1 = time.perf_counter()
    print(json.dumps({"low": float(lo), "high": float(hi), "resamples": b, "first": values[:5],
                      "seconds": t1 - t0, "method": "sqrtm" if use_sqrtm else "eigh", "numpy": np.__version__,
                      "scipy": scipy.__version__, "blas": blas_kernel()}))


if __name__ == "__main__":
    main()
