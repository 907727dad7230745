"""Reference values for QualityMeasuresTest and ColourTransferTest, with numpy only, following
scikit-image's conventions (skimage.color.rgb2hed / combine_stains / rgb2lab / lab2rgb / rgb2hsv).

usage: python3 quality_reference.py OUTDIR
Writes tiles.npy (uint8, N x 64 x 64 x 3), target.npy (uint8 target tiles for Reinhard statistics),
expected.json (per-tile measures, badness, ranking) and baselines.npy (reinhard and stain-remap outputs).
"""
import json
import sys
from pathlib import Path

import numpy as np

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(5)

rgb_from_hed = np.array([[0.65, 0.70, 0.29], [0.07, 0.99, 0.11], [0.27, 0.57, 0.78]])
hed_from_rgb = np.linalg.inv(rgb_from_hed)


def rgb2hed(t):  # skimage.color.separate_stains(rgb, hed_from_rgb)
    rgb = np.maximum(t.astype(np.float64) / 255.0, 1e-6)
    stains = (np.log(rgb) / np.log(1e-6)) @ hed_from_rgb
    return np.maximum(stains, 0)


def combine(stains, conv):  # skimage.color.combine_stains
    log_rgb = -(stains * -np.log(1e-6)) @ conv
    return np.clip(np.exp(log_rgb), 0, 1)


def to_u8(x):
    return np.round(x * 255).astype(np.uint8)  # numpy rounds half to even; Java Math.round half up


def hsv_s_v(t):
    f = t.astype(np.float64)
    mx = f.max(axis=2)
    mn = f.min(axis=2)
    s = np.where(mx == 0, 0, (mx - mn) / np.where(mx == 0, 1, mx))
    return s, mx / 255.0


def luma(t):
    f = t.astype(np.float64) / 255.0
    return 0.2126 * f[..., 0] + 0.7152 * f[..., 1] + 0.0722 * f[..., 2]


def autocorr(L, k=16):
    h = np.corrcoef(L[:, :-k].ravel(), L[:, k:].ravel())[0, 1]
    v = np.corrcoef(L[:-k, :].ravel(), L[k:, :].ravel())[0, 1]
    return 0.5 * (h + v)


def lapvar(L):
    p = np.pad(L, 1, mode="edge")
    lap = p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:] - 4 * L
    return lap.var()


def measures(t, thr=0.15):
    s, v = hsv_s_v(t)
    hed = rgb2hed(t)
    tissue = (v < 0.92) & (s > 0.05)
    dab_pos = float((hed[..., 2][tissue] > thr).mean()) if tissue.any() else 0.0
    L = luma(t)
    return {
        "saturation_std": float(s.std()),
        "autocorrelation16": float(autocorr(L)),
        "laplacian_variance709": float(lapvar(L)),
        "dab_positive_fraction": dab_pos,
        "mean_dab": float(hed[..., 2].mean()),
        "mean_hematoxylin": float(hed[..., 0].mean()),
    }


def make(kind, n=64):
    yy, xx = np.mgrid[0:n, 0:n]
    if kind == 0:
        return rng.integers(0, 256, (n, n, 3), dtype=np.uint8)
    if kind == 1:  # brown DAB blobs on blue counterstain
        t = np.zeros((n, n, 3), np.uint8)
        t[...] = (120, 130, 190)
        mask = ((xx - 30) ** 2 + (yy - 30) ** 2) < 200
        t[mask] = (120, 70, 30)
        return t
    if kind == 2:  # repetitive stripes (high autocorrelation at 16)
        v = (128 + 100 * np.sin(2 * np.pi * xx / 16)).astype(np.uint8)
        return np.stack([v, v // 2, 200 - v // 2], axis=2).astype(np.uint8)
    if kind == 3:  # mostly white
        t = np.full((n, n, 3), 240, np.uint8)
        t[:10, :10] = (150, 60, 140)
        return t
    base = rng.integers(80, 200, (n, n, 3)).astype(np.float64)
    return np.clip(base + 30 * np.sin(xx / 5.0)[..., None], 0, 255).astype(np.uint8)


tiles = np.stack([make(k % 5) for k in range(10)])
np.save(out / "tiles.npy", tiles)
per = [measures(t) for t in tiles]


def z(a):
    a = np.asarray(a, dtype=np.float64)
    sd = a.std()
    return np.zeros_like(a) if sd == 0 else (a - a.mean()) / sd  # scipy.stats.zscore, ddof=0


sat = [m["saturation_std"] for m in per]
ac = [m["autocorrelation16"] for m in per]
lv = [m["laplacian_variance709"] for m in per]
badness = -z(sat) + z(ac) + 0.5 * np.abs(z(lv))
ranking = np.lexsort((np.arange(len(badness)), badness))

# Baselines -------------------------------------------------------------------------------------
xyz_from_rgb = np.array([[0.412453, 0.357580, 0.180423], [0.212671, 0.715160, 0.072169],
                         [0.019334, 0.119193, 0.950227]])
rgb_from_xyz = np.linalg.inv(xyz_from_rgb)
white = np.array([0.95047, 1.0, 1.08883])


def rgb2lab(t):
    a = t.astype(np.float64) / 255.0
    m = a > 0.04045
    a[m] = ((a[m] + 0.055) / 1.055) ** 2.4
    a[~m] /= 12.92
    xyz = (a @ xyz_from_rgb.T) / white
    m = xyz > 0.008856
    xyz[m] = np.cbrt(xyz[m])
    xyz[~m] = 7.787 * xyz[~m] + 16.0 / 116.0
    x, y, zz = xyz[..., 0], xyz[..., 1], xyz[..., 2]
    return np.stack([116 * y - 16, 500 * (x - y), 200 * (y - zz)], axis=-1)


def lab2rgb(lab):
    L, A, B = lab[..., 0], lab[..., 1], lab[..., 2]
    y = (L + 16.0) / 116.0
    x = A / 500.0 + y
    zz = np.maximum(y - B / 200.0, 0)
    o = np.stack([x, y, zz], axis=-1)
    m = o > 0.2068966
    o[m] = o[m] ** 3
    o[~m] = (o[~m] - 16.0 / 116.0) / 7.787
    o *= white
    arr = o @ rgb_from_xyz.T
    m = arr > 0.0031308
    arr[m] = 1.055 * np.power(arr[m], 1 / 2.4) - 0.055
    arr[~m] *= 12.92
    return np.clip(arr, 0, 1)


target = np.stack([make(1), make(4), make(1)])
np.save(out / "target.npy", target)
tl = rgb2lab(target).reshape(-1, 3)
tmean, tstd = tl.mean(axis=0), tl.std(axis=0)
reinhard = []
remap = []
for t in tiles:
    lab = rgb2lab(t)
    flat = lab.reshape(-1, 3)
    m, s = flat.mean(axis=0), flat.std(axis=0)
    scale = np.where(s == 0, 1, tstd / np.where(s == 0, 1, s))
    reinhard.append(to_u8(lab2rgb((lab - m) * scale + tmean)))
    hed = rgb2hed(t)
    st = np.stack([hed[..., 0], np.zeros_like(hed[..., 0]), hed[..., 1]], axis=-1)
    remap.append(to_u8(combine(st, rgb_from_hed)))
np.save(out / "reinhard.npy", np.stack(reinhard))
np.save(out / "remap.npy", np.stack(remap))
lab0 = rgb2lab(tiles[4])
np.save(out / "lab0.npy", lab0.reshape(-1, 3))
np.save(out / "hed0.npy", rgb2hed(tiles[1]).reshape(-1, 3))

(out / "expected.json").write_text(json.dumps({
    "measures": per, "badness": badness.tolist(), "ranking": ranking.tolist(),
    "target_mean": tmean.tolist(), "target_std": tstd.tolist(),
}))
