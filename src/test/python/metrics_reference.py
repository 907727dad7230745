#!/usr/bin/env python3
"""Reference values for the evaluation metrics (org.stainbench.evaluation.metrics), from numpy and scipy.

Writes small fixtures into src/test/resources/metrics/ (committed; rerun to regenerate):
  <case>_real.npy, <case>_fake.npy   feature matrices (float64, or float32 where noted)
  expected.json                      the expected values, each with the expression that produced it

Run from the repository root:  python3 src/test/python/metrics_reference.py
Needs numpy and scipy (the python3 on the developers' PATH has numpy 2.4 and scipy 1.17).
The FID reference is pytorch-fid's formula (calculate_frechet_distance) with scipy.linalg.sqrtm;
KID is torchmetrics' poly_mmd / compute with subsets drawn by the SplitMix64 stream below (the Java
class SplitMix64 documents the same algorithm).
"""
import json
import os
import sys

import numpy as np
import scipy
import scipy.linalg
import scipy.stats

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "metrics")
MASK = (1 << 64) - 1


class SplitMix64:
    """The same stream as org.stainbench.evaluation.metrics.SplitMix64."""

    def __init__(self, seed):
        self.state = seed & MASK

    def next64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def next_int(self, bound):
        while True:
            bits = self.next64() >> 33
            value = bits % bound
            if bits - value + (bound - 1) < (1 << 31):
                return value

    def sample_without_replacement(self, n, k):
        a = list(range(n))
        for i in range(k):
            j = i + self.next_int(n - i)
            a[i], a[j] = a[j], a[i]
        return a[:k]


def signed64(u):
    return u - (1 << 64) if u >= (1 << 63) else u


def fid_pytorch_fid(real, fake):
    """pytorch-fid: mu/sigma with np.mean / np.cov(rowvar=False), then calculate_frechet_distance."""
    mu1, mu2 = real.mean(axis=0), fake.mean(axis=0)
    s1, s2 = np.cov(real, rowvar=False), np.cov(fake, rowvar=False)
    diff = mu1 - mu2
    covmean = scipy.linalg.sqrtm(s1.dot(s2))
    if not np.isfinite(covmean).all():
        raise SystemExit("sqrtm returned non-finite values; pick another fixture")
    tr_covmean = np.trace(covmean).real
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * tr_covmean), float(tr_covmean)


def fid_eigen(real, fake):
    """The same quantity by symmetric eigenvalues (a cross-check of the reference itself)."""
    s1, s2 = np.cov(real, rowvar=False), np.cov(fake, rowvar=False)
    w, v = np.linalg.eigh(s1)
    root = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    ev = np.linalg.eigvalsh(root @ s2 @ root)
    return float(np.sqrt(np.clip(ev, 0, None)).sum())


def poly_mmd(x, y):
    """torchmetrics.image.kid.poly_mmd with degree 3, gamma 1/d, coef 1 (float64)."""
    d = x.shape[1]
    k_xx = (x @ x.T / d + 1) ** 3
    k_yy = (y @ y.T / d + 1) ** 3
    k_xy = (x @ y.T / d + 1) ** 3
    m = x.shape[0]
    kt_xx = k_xx.sum() - np.diag(k_xx).sum()
    kt_yy = k_yy.sum() - np.diag(k_yy).sum()
    return float((kt_xx + kt_yy) / (m * (m - 1)) - 2 * k_xy.sum() / (m * m))


def kid(real, fake, subsets, size, seed):
    rng = SplitMix64(seed)
    values = []
    for _ in range(subsets):
        ri = rng.sample_without_replacement(real.shape[0], size)
        fi = rng.sample_without_replacement(fake.shape[0], size)
        values.append(poly_mmd(real[ri], fake[fi]))
    v = np.array(values)
    # torchmetrics: kid_scores.mean(), kid_scores.std(unbiased=False)
    return float(v.mean()), float(v.std(ddof=0)), values


def crop_features(tiles, seed, size, per_tile):
    """Crop stream of CropPositions.draw + a small deterministic feature per crop:
    per channel mean, std and (mean of the top-left quarter), as float64 (9 values)."""
    rng = SplitMix64(seed)
    n, h, w, _ = tiles.shape
    feats, positions = [], []
    for t in range(n):
        for _k in range(per_tile):
            y = rng.next_int(h - size + 1)
            x = rng.next_int(w - size + 1)
            positions.append([t, y, x])
            c = tiles[t, y:y + size, x:x + size, :].astype(np.float64)
            q = c[: size // 2, : size // 2, :]
            feats.append(np.concatenate([c.mean(axis=(0, 1)), c.std(axis=(0, 1)), q.mean(axis=(0, 1))]))
    return np.array(feats), positions


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {"numpy": np.__version__, "scipy": scipy.__version__}
    g = np.random.default_rng(20261127)

    # Case "full": n > d, correlated features, shifted and rescaled fake distribution.
    a = g.standard_normal((16, 16))
    real = g.standard_normal((300, 16)) @ a * 0.5 + 1.0
    b = a + 0.3 * g.standard_normal((16, 16))
    fake = g.standard_normal((280, 16)) @ b * 0.6 + 1.2
    fid, tr = fid_pytorch_fid(real, fake)
    np.save(os.path.join(OUT, "full_real.npy"), real)
    np.save(os.path.join(OUT, "full_fake.npy"), fake.astype(np.float32))
    fake32 = fake.astype(np.float32).astype(np.float64)
    fid32, tr32 = fid_pytorch_fid(real, fake32)
    kmean, kstd, kvals = kid(real, fake32, 10, 50, 7)
    expected["full"] = {
        "shape_real": list(real.shape), "shape_fake": list(fake.shape),
        "fake_dtype": "float32",
        "fid": fid32, "trace_sqrt": tr32, "trace_sqrt_eigh": fid_eigen(real, fake32),
        "fid_expr": "pytorch-fid calculate_frechet_distance(mean/np.cov(rowvar=False)), "
                    "tr = np.trace(scipy.linalg.sqrtm(s1.dot(s2))).real",
        "kid": {"subsets": 10, "subset_size": 50, "seed": 7, "mean": kmean, "std": kstd, "values": kvals},
        "kid_expr": "torchmetrics poly_mmd (x@y.T/d+1)**3 on SplitMix64(7) subsets; mean, std(ddof=0)",
    }

    # Case "singular": fewer samples than dimensions (both covariances singular).
    real = g.standard_normal((40, 64)) * 2.0 + 0.5
    fake = g.standard_normal((30, 64)) @ (np.eye(64) + 0.2 * g.standard_normal((64, 64))) + 0.3
    fid, tr = fid_pytorch_fid(real, fake)
    np.save(os.path.join(OUT, "singular_real.npy"), real)
    np.save(os.path.join(OUT, "singular_fake.npy"), fake)
    kmean, kstd, kvals = kid(real, fake, 5, 30, 11)
    expected["singular"] = {
        "shape_real": list(real.shape), "shape_fake": list(fake.shape),
        "fid": fid, "trace_sqrt": tr, "trace_sqrt_eigh": fid_eigen(real, fake),
        "rank_real": int(np.linalg.matrix_rank(np.cov(real, rowvar=False))),
        "fid_expr": "as full; np.cov of 40 x 64 has rank 39",
        "kid": {"subsets": 5, "subset_size": 30, "seed": 11, "mean": kmean, "std": kstd, "values": kvals},
    }

    # CropFID: 12 random 'tiles' per side (uint8 64 x 48 x 3), 4 crops of 20 per tile, seed 3.
    tiles_real = g.integers(0, 256, size=(12, 64, 48, 3), dtype=np.uint8)
    tiles_fake = np.clip(tiles_real.astype(int) // 2 + g.integers(0, 128, size=tiles_real.shape), 0, 255).astype(np.uint8)
    np.save(os.path.join(OUT, "crop_tiles_real.npy"), tiles_real)
    np.save(os.path.join(OUT, "crop_tiles_fake.npy"), tiles_fake)
    fr, pos = crop_features(tiles_real, 3, 20, 4)
    ff, _ = crop_features(tiles_fake, 3, 20, 4)
    cfid, _ = fid_pytorch_fid(fr, ff)
    fr5, pos5 = crop_features(tiles_real, 5, 20, 4)
    expected["crop"] = {
        "seed": 3, "size": 20, "per_tile": 4, "positions": pos, "positions_seed5": pos5,
        "crop_fid": cfid,
        "expr": "features per crop = [mean(c, axis=(0,1)), std(c, axis=(0,1)), mean(c[:10,:10], axis=(0,1))]; "
                "pytorch-fid formula on them",
    }

    # SplitMix64 itself: first outputs from seed 0 and 42 (Vigna's splitmix64.c constants).
    s0, s42 = SplitMix64(0), SplitMix64(42)
    expected["splitmix64"] = {
        "seed0": [signed64(s0.next64()) for _ in range(3)],
        "seed42_next_int_1000": [s42.next_int(1000) for _ in range(5)],
    }

    # Stain distances (samples with ties, different sizes).
    u = np.round(g.gamma(2.0, 0.1, size=37), 3)
    v = np.round(g.gamma(2.5, 0.1, size=53), 3)
    v[:5] = u[:5]
    expected["stain"] = {
        "u": u.tolist(), "v": v.tolist(),
        "wasserstein": float(scipy.stats.wasserstein_distance(u, v)),
        "ks": float(scipy.stats.ks_2samp(u, v).statistic),
        "expr": "scipy.stats.wasserstein_distance(u, v); scipy.stats.ks_2samp(u, v).statistic",
    }

    # Student t quantiles and a seed summary.
    dfs = [1, 2, 3, 4, 5, 7, 10, 30, 100]
    expected["t975"] = {str(d): float(scipy.stats.t.ppf(0.975, d)) for d in dfs}
    seeds = [154.2, 151.9, 156.8, 153.1, 155.0]
    m, s = float(np.mean(seeds)), float(np.std(seeds, ddof=1))
    lo, hi = scipy.stats.t.interval(0.95, len(seeds) - 1, loc=m, scale=s / np.sqrt(len(seeds)))
    expected["summary"] = {"values": seeds, "mean": m, "std": s, "ci_low": float(lo), "ci_high": float(hi),
                           "expr": "np.std(ddof=1); scipy.stats.t.interval(0.95, n-1, loc=mean, scale=std/sqrt(n))"}

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    sys.exit(main())
