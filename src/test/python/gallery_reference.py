"""Reference for GalleriesTest: the quality measures and the badness ranking of the tiles a best/worst gallery
scanned, computed by numpy from the tiles' pixels (skimage conventions, as quality_reference.py).

usage: python3 gallery_reference.py TILES.npy
TILES.npy: uint8 (N, H, W, 3), the scanned generated tiles in scan order. Prints JSON:
{"measures": [[sat_std, autocorr16, lapvar709, dab_pos, mean_dab, mean_h], ...], "badness": [...], "best_first": [...]}
"""
import json
import sys

import numpy as np

rgb_from_hed = np.array([[0.65, 0.70, 0.29], [0.07, 0.99, 0.11], [0.27, 0.57, 0.78]])
hed_from_rgb = np.linalg.inv(rgb_from_hed)


def rgb2hed(t):  # skimage.color.separate_stains(rgb, hed_from_rgb)
    rgb = np.maximum(t.astype(np.float64) / 255.0, 1e-6)
    return np.maximum((np.log(rgb) / np.log(1e-6)) @ hed_from_rgb, 0)


def measures(t, thr=0.15):
    f = t.astype(np.float64)
    mx, mn = f.max(axis=2), f.min(axis=2)
    s = np.where(mx == 0, 0, (mx - mn) / np.where(mx == 0, 1, mx))
    v = mx / 255.0
    L = (0.2126 * f[..., 0] + 0.7152 * f[..., 1] + 0.0722 * f[..., 2]) / 255.0
    k = 16
    ac = 0.5 * (np.corrcoef(L[:, :-k].ravel(), L[:, k:].ravel())[0, 1]
                + np.corrcoef(L[:-k, :].ravel(), L[k:, :].ravel())[0, 1])
    p = np.pad(L, 1, mode="edge")
    lap = p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:] - 4 * L
    hed = rgb2hed(t)
    tissue = (v < 0.92) & (s > 0.05)
    dab_pos = float((hed[..., 2][tissue] > thr).mean()) if tissue.any() else 0.0
    return [float(s.std()), float(ac), float(lap.var()), dab_pos, float(hed[..., 2].mean()), float(hed[..., 0].mean())]


def z(a):  # scipy.stats.zscore(a, ddof=0); zero spread -> 0
    a = np.asarray(a, dtype=np.float64)
    sd = a.std()
    return np.zeros_like(a) if sd == 0 else (a - a.mean()) / sd


tiles = np.load(sys.argv[1])
per = [measures(t) for t in tiles]
m = np.array(per)
badness = -z(m[:, 0]) + z(m[:, 1]) + 0.5 * np.abs(z(m[:, 2]))
best_first = np.lexsort((np.arange(len(badness)), badness))
print(json.dumps({"measures": per, "badness": badness.tolist(), "best_first": best_first.tolist()}))
