#!/usr/bin/env python3
"""numpy/scipy side of src/bench/metrics.sh: makes the feature files, then times FID + KID with the same math.

  make   OUT_DIR N D       writes OUT_DIR/real.npy, OUT_DIR/fake.npy (float32, N x D)
  time   OUT_DIR SUBSETS SIZE SEED   prints JSON: numpy/scipy FID and KID, seconds, BLAS kernel

FID is pytorch-fid's calculate_frechet_distance (np.cov, scipy.linalg.sqrtm(s1.dot(s2))); KID is
torchmetrics' poly_mmd (float64) over the same SplitMix64 subsets the Java side draws (indices are drawn
before the clock starts, so numpy is not charged for the pure-Python shuffle).
"""
import ctypes
import json
import os
import sys
import time

import numpy as np
import scipy
import scipy.linalg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "python"))
from metrics_reference import SplitMix64, poly_mmd  # noqa: E402


def blas_kernel():
    """OpenBLAS core and config of the library numpy loaded (what threadpoolctl would report)."""
    with open("/proc/self/maps") as f:
        libs = sorted({line.split()[-1] for line in f if "openblas" in line.lower() and ".so" in line})
    for path in libs:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_", ""):
            for suffix in ("64_", ""):
                try:
                    core = getattr(lib, prefix + "openblas_get_corename" + suffix)
                    conf = getattr(lib, prefix + "openblas_get_config" + suffix)
                    threads = getattr(lib, prefix + "openblas_get_num_threads" + suffix)
                except AttributeError:
                    continue
                core.restype = conf.restype = ctypes.c_char_p
                return {"library": os.path.basename(path), "core": core().decode(),
                        "config": conf().decode(), "threads": threads()}
    return {"library": "unknown"}


def make(out, n, d):
    g = np.random.default_rng(2026)
    # non-negative, correlated, Inception-pool-like features; the fake set is shifted and rescaled
    mix = np.eye(d) + 0.05 * g.standard_normal((d, d))
    real = np.maximum(g.standard_normal((n, d)) @ mix * 0.3 + 0.25, 0)
    fake = np.maximum(g.standard_normal((n, d)) @ mix * 0.33 + 0.2, 0)
    np.save(os.path.join(out, "real.npy"), real.astype(np.float32))
    np.save(os.path.join(out, "fake.npy"), fake.astype(np.float32))


def run(out, subsets, size, seed):
    real = np.load(os.path.join(out, "real.npy")).astype(np.float64)
    fake = np.load(os.path.join(out, "fake.npy")).astype(np.float64)
    rng = SplitMix64(seed)
    draws = []
    for _ in range(subsets):
        ri = rng.sample_without_replacement(real.shape[0], size)
        fi = rng.sample_without_replacement(fake.shape[0], size)
        draws.append((np.array(ri), np.array(fi)))
    t0 = time.perf_counter()
    mu1, mu2 = real.mean(axis=0), fake.mean(axis=0)
    s1, s2 = np.cov(real, rowvar=False), np.cov(fake, rowvar=False)
    diff = mu1 - mu2
    covmean = scipy.linalg.sqrtm(s1.dot(s2))
    fid = float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean).real)
    t1 = time.perf_counter()
    values = [poly_mmd(real[ri], fake[fi]) for ri, fi in draws]
    t2 = time.perf_counter()
    v = np.array(values)
    print(json.dumps({"fid": fid, "kid_mean": float(v.mean()), "kid_std": float(v.std(ddof=0)),
                      "fid_seconds": t1 - t0, "kid_seconds": t2 - t1,
                      "numpy": np.__version__, "scipy": scipy.__version__, "blas": blas_kernel(),
                      "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE")}))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        run(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
