"""Reference tiling of a slide with OpenSlide's Python binding and numpy, for SlideTilingTest and the benchmark.

usage: /usr/bin/python3 slide_reference.py SLIDE LEVEL SIZE OVERLAP COLOURCAST(0|1) [OUT.npz]

Runs with Debian's /usr/bin/python3 on purpose: python3-openslide (OpenSlide's binding, Debian package)
lives in /usr/lib/python3/dist-packages, which the pyenv python3 on PATH does not see; Debian's numpy
(python3-numpy) comes with it.

Every grid tile is read at full resolution (no mask): x in range(0, W, size - overlap), clamped to W - size
(the lab re-reads edge tiles so that every tile is full size). read_region gives RGBA (un-premultiplied);
transparent pixels become white. The measures are the lab's with OpenCV semantics (as tile_fixtures.py).
Prints JSON: level size, downsample, xs, ys and per tile [x0, y0, lapvar, sat, white, cast, kept].
With OUT.npz, also writes the kept tiles in the lab's layout (np.savez, object (N, 2) of [tile, label 0]).
"""
import json
import sys
import time

import numpy as np
import openslide

path, level, size, overlap, cast = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5] == "1"
out = sys.argv[6] if len(sys.argv) > 6 else None
t0 = time.perf_counter()
slide = openslide.OpenSlide(path)
W, H = slide.level_dimensions[level]
d = slide.level_downsamples[level]
stride = size - overlap


def axis(extent):
    pos = []
    for x in range(0, extent, stride):
        p = min(x, extent - size)
        if extent >= size and (not pos or pos[-1] != p):
            pos.append(p)
    return pos


xs, ys = axis(W), axis(H)
sdiv = np.zeros(256, np.int64)
sdiv[1:] = np.rint((255 << 12) / np.arange(1, 256))              # OpenCV's sdiv_table, hsv_shift = 12


def measures(t):
    r, g, b = (t[..., i].astype(np.int64) for i in range(3))
    grey = (r * 4899 + g * 9617 + b * 1868 + 8192) >> 14          # cv2.cvtColor(t, cv2.COLOR_RGB2GRAY)
    p = np.pad(grey, 1, mode="reflect")                             # == OpenCV BORDER_REFLECT_101
    lap = p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:] - 4 * grey
    lap_var = float(lap.astype(np.float64).var())
    mx = np.maximum(np.maximum(r, g), b)
    mn = np.minimum(np.minimum(r, g), b)
    s255 = ((mx - mn) * sdiv[mx] + (1 << 11)) >> 12                  # cv2.cvtColor(t, cv2.COLOR_RGB2HSV)[..., 1]
    sat = float((s255 > 30).mean())
    white = float((t.astype(np.float64).mean(axis=2) > 235).mean())
    castf = float(((g > r + 20) & (g > b + 20)).mean())
    return lap_var, sat, white, castf


rows = []
kept = []
for y in ys:
    for x in xs:
        x0, y0 = int(round(x * d)), int(round(y * d))
        rgba = np.asarray(slide.read_region((x0, y0), level, (size, size)))
        t = np.where(rgba[..., 3:4] == 0, 255, rgba[..., :3]).astype(np.uint8)
        lv, sat, white, castf = measures(t)
        keep = lv >= 100 and sat >= 0.10 and white <= 0.60 and (not cast or castf <= 0.02)
        rows.append([x0, y0, lv, sat, white, castf, bool(keep)])
        if keep:
            kept.append(t)
if out:
    arr = np.empty((len(kept), 2), dtype=object)
    for i, t in enumerate(kept):
        arr[i, 0] = t
        arr[i, 1] = 0
    np.savez(out, arr)
print(json.dumps({"width": W, "height": H, "downsample": d, "xs": xs, "ys": ys, "tiles": rows,
                  "seconds": time.perf_counter() - t0}))
