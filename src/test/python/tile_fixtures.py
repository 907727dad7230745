"""Writes tile archives with numpy for the Java tile codec and measure tests, plus reference values.

usage: python3 tile_fixtures.py OUTDIR

Archives (all hold the same tiles, labels 0/1 alternating):
  v2_compressed.npz / v2_stored.npz   the lab's layout (key arr_0, object array (N, 2) of [tile, label]) as
                                      numpy 2.x writes it: np.savez_compressed / np.savez, pickle protocol 4,
                                      module numpy._core.multiarray
  v1_p3_compressed.npz / v1_p3_stored.npz  the same as numpy 1.x wrote it: pickle protocol 3 and module
                                      numpy.core.multiarray (numpy 1.x had no numpy._core)
  v1_p2_stored.npz                    protocol 2 with numpy.core.multiarray, as Python-2-compatible writers
                                      produce (bytes travel as _codecs.encode(str, 'latin1'))
  rows4.npz                           the training variant: (N, 4) rows of (tile, coords, ratio, label)
  plain_x.npz / plain_stored.npz      plain uint8 (N, H, W, 3) under keys 'x' and 'tiles'
  bare.npy                            a plain uint8 .npy
  big.npz                             two 1024x1024 tiles (thumbnails, central crop)
The numpy-1.x-style pickles: numpy 2.4 (the python3 here) always pickles ndarrays as
numpy._core.multiarray._reconstruct. We pickle with protocol 2 or 3 (whose GLOBAL opcode spells the module
as text) and rewrite the module of every GLOBAL opcode to numpy.core.multiarray, found with
pickletools.genops so tile bytes are never touched. Protocols 2-3 have no frames or offsets, so the
rewrite keeps the pickle valid; numpy 2.x still loads such files (numpy.core is kept as an alias).

Bad inputs: not_a_zip.npz, truncated.npz, float_tiles.npz, bad_shape.npz, object_strings.npz,
mixed_sizes.npz, zip_slip.npz, bomb_declared.npz (an entry inflating beyond its declared size),
bomb_ratio.npz (zeros inflating ~1000:1).

expected.json: per tile of the small set and of big.npz, the measures (see measures() below) and labels;
thumbs.npy: numpy's 256 px thumbnails of big.npz's tiles; thumb_600.npy: of a 600x600 tile.
"""
import io
import json
import pickle
import pickletools
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np
from numpy.lib import format as npformat

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(11)


def make_tile(h, w, kind):
    """Tiles with different content so every measure takes varied values."""
    yy, xx = np.mgrid[0:h, 0:w]
    if kind == "noise":
        return rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
    if kind == "white":
        t = np.full((h, w, 3), 245, np.uint8)
        t[: h // 4, : w // 4] = (180, 90, 160)
        return t
    if kind == "smooth":
        r = (128 + 100 * np.sin(xx / 17.0)).astype(np.uint8)
        g = (100 + 60 * np.cos(yy / 23.0)).astype(np.uint8)
        b = ((xx + yy) % 256).astype(np.uint8)
        return np.stack([r, g, b], axis=2)
    if kind == "tissue":
        base = np.empty((h, w, 3), np.uint8)
        base[...] = (230, 160, 200)
        blobs = (np.sin(xx / 9.0) * np.cos(yy / 7.0)) > 0.3
        base[blobs] = (70, 50, 140)
        base[(xx - w // 2) ** 2 + (yy - h // 2) ** 2 < (min(h, w) // 5) ** 2] = (250, 250, 250)
        noise = rng.integers(-12, 13, (h, w, 3))
        return np.clip(base.astype(np.int64) + noise, 0, 255).astype(np.uint8)
    if kind == "grey":
        v = rng.integers(0, 256, (h, w), dtype=np.uint8)
        return np.stack([v, v, v], axis=2)
    raise ValueError(kind)


def measures(t):
    """The lab's measures with OpenCV semantics, in numpy."""
    r, g, b = (t[..., i].astype(np.int64) for i in range(3))
    grey = (r * 4899 + g * 9617 + b * 1868 + 8192) >> 14          # cv2.cvtColor(t, cv2.COLOR_RGB2GRAY)
    p = np.pad(grey, 1, mode="reflect")                             # numpy 'reflect' == OpenCV BORDER_REFLECT_101
    lap = p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:] - 4 * grey  # kernel [[0,1,0],[1,-4,1],[0,1,0]]
    lap_var = float(lap.astype(np.float64).var())                    # population variance
    mx = np.maximum(np.maximum(r, g), b)
    mn = np.minimum(np.minimum(r, g), b)
    sdiv = np.zeros(256, np.int64)
    sdiv[1:] = np.rint((255 << 12) / np.arange(1, 256))              # OpenCV's sdiv_table, hsv_shift = 12
    s255 = ((mx - mn) * sdiv[mx] + (1 << 11)) >> 12                  # cv2.cvtColor(t, cv2.COLOR_RGB2HSV)[..., 1]
    sat = float((s255 > 30).mean())
    white = float((t.astype(np.float64).mean(axis=2) > 235).mean())
    v = mx / 255.0
    s01 = np.where(mx == 0, 0.0, (mx - mn) / np.maximum(mx, 1))
    tissue_mask = (v < 0.92) & (s01 > 0.05)
    h, w = grey.shape
    ch, cw = min(512, h), min(512, w)
    y0, x0 = (h - ch) // 2, (w - cw) // 2
    return {
        "laplacian_variance": lap_var,
        "saturated_fraction": sat,
        "white_fraction": white,
        "informative": bool(lap_var >= 100 and sat >= 0.10 and white <= 0.60),
        "tissue_fraction": float(tissue_mask.mean()),
        "tissue_center_fraction": float(tissue_mask[y0:y0 + ch, x0:x0 + cw].mean()),
    }


def thumbnail(t, size=256):
    """Area average over blocks [floor(i*H/h), floor((i+1)*H/h)), rounded half up."""
    h, w = t.shape[:2]
    if max(h, w) <= size:
        return t
    if w >= h:
        tw, th = size, max(1, round(h * size / w))
    else:
        th, tw = size, max(1, round(w * size / h))
    ys = (np.arange(th) * h) // th
    xs = (np.arange(tw) * w) // tw
    sums = np.add.reduceat(np.add.reduceat(t.astype(np.int64), ys, axis=0), xs, axis=1)
    counts = np.diff(np.append(ys, h))[:, None] * np.diff(np.append(xs, w))[None, :]
    return ((2 * sums + counts[..., None]) // (2 * counts[..., None])).astype(np.uint8)


def object_array(tiles, labels, rows4=False):
    a = np.empty((len(tiles), 4 if rows4 else 2), dtype=object)
    for i, (t, lab) in enumerate(zip(tiles, labels)):
        if rows4:
            a[i] = (t, np.array([i * 64, i * 32], dtype=np.int64), 0.5 + i / 100, lab)
        else:
            a[i, 0] = t
            a[i, 1] = lab
    return a


def legacy_pickle(obj, protocol):
    """Pickle as numpy 1.x did: GLOBAL opcodes naming numpy.core.multiarray (see the module docstring)."""
    data = pickle.dumps(obj, protocol=protocol)
    outb = bytearray()
    last = 0
    for op, arg, pos in pickletools.genops(data):
        if op.name == "GLOBAL" and arg.startswith("numpy._core."):
            end = data.index(b"\n", data.index(b"\n", pos + 1) + 1) + 1
            outb += data[last:pos]
            outb += b"c" + arg.replace("numpy._core.", "numpy.core.").replace(" ", "\n").encode() + b"\n"
            last = end
    outb += data[last:]
    return bytes(outb)


def write_npz_raw(path, entries, compressed):
    """Like np.savez: each (name, raw .npy bytes) as a zip entry."""
    method = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
    with zipfile.ZipFile(path, "w", compression=method, allowZip64=True) as z:
        for name, raw in entries:
            with z.open(name, "w", force_zip64=True) as f:
                f.write(raw)


def npy_object_bytes(arr, pickled):
    b = io.BytesIO()
    npformat.write_array_header_1_0(b, {"descr": "|O", "fortran_order": False, "shape": arr.shape})
    return b.getvalue() + pickled


kinds = ["noise", "white", "smooth", "tissue", "grey", "tissue", "noise"]
tiles = [make_tile(96, 80, k) for k in kinds]
labels = [i % 2 for i in range(len(tiles))]
expected = {"small": {"measures": [measures(t) for t in tiles], "labels": labels,
                      "sums": [int(t.astype(np.int64).sum()) for t in tiles], "width": 80, "height": 96}}

obj = object_array(tiles, labels)
np.savez_compressed(out / "v2_compressed.npz", obj)
np.savez(out / "v2_stored.npz", obj)
for proto in (3, 2):
    raw = npy_object_bytes(obj, legacy_pickle(obj, proto))
    assert b"numpy._core" not in raw[:4000]
    write_npz_raw(out / f"v1_p{proto}_stored.npz", [("arr_0.npy", raw)], False)
    if proto == 3:
        write_npz_raw(out / "v1_p3_compressed.npz", [("arr_0.npy", raw)], True)
np.savez_compressed(out / "rows4.npz", object_array(tiles, labels, rows4=True))
stack = np.stack(tiles)
np.savez_compressed(out / "plain_x.npz", x=stack)
np.savez(out / "plain_stored.npz", tiles=stack, other=np.arange(5.0))
np.save(out / "bare.npy", stack)
# every file must load in numpy as the lab loads it
for name in ["v2_compressed", "v2_stored", "v1_p3_stored", "v1_p3_compressed", "v1_p2_stored", "rows4"]:
    loaded = np.load(out / f"{name}.npz", allow_pickle=True)["arr_0"]
    assert all((loaded[i, 0] == tiles[i]).all() for i in range(len(tiles))), name

big = [make_tile(1024, 1024, "tissue"), make_tile(1024, 1024, "smooth")]
np.savez_compressed(out / "big.npz", object_array(big, [3, 7]))
expected["big"] = {"measures": [measures(t) for t in big], "labels": [3, 7]}
np.save(out / "thumbs.npy", np.stack([thumbnail(t) for t in big]))
t600 = make_tile(600, 600, "noise")
np.save(out / "tile_600.npy", t600)
np.save(out / "thumb_600.npy", thumbnail(t600))
t_wide = make_tile(300, 700, "smooth")
np.save(out / "tile_wide.npy", t_wide)
np.save(out / "thumb_wide.npy", thumbnail(t_wide))

# bad inputs
(out / "not_a_zip.npz").write_bytes(b"this is a text file, not an archive\n" * 10)
data = (out / "v2_compressed.npz").read_bytes()
(out / "truncated.npz").write_bytes(data[: len(data) * 3 // 5])
np.savez(out / "float_tiles.npz", arr_0=stack.astype(np.float32))
np.savez(out / "bad_shape.npz", arr_0=stack[..., 0])
strings = np.empty((3, 2), dtype=object)
for i in range(3):
    strings[i] = ("not a tile", i)
np.savez(out / "object_strings.npz", strings)
mixed = object_array([tiles[0], make_tile(64, 64, "noise"), tiles[2]], [0, 1, 0])
np.savez(out / "mixed_sizes.npz", mixed)
good = io.BytesIO()
np.save(good, stack)
write_npz_raw(out / "zip_slip.npz", [("arr_0.npy", good.getvalue()), ("../../evil.npy", good.getvalue())], True)
# an entry whose zip headers declare a tenth of what it inflates to
bomb = io.BytesIO()
np.save(bomb, np.zeros((40, 256, 256, 3), np.uint8))
raw = bomb.getvalue()
with zipfile.ZipFile(out / "bomb_declared.npz", "w", compression=zipfile.ZIP_DEFLATED) as z:
    z.writestr("arr_0.npy", raw)
blob = bytearray((out / "bomb_declared.npz").read_bytes())
real = struct.pack("<I", len(raw))
fake = struct.pack("<I", len(raw) // 10)
count = 0
for sig, off in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
    i = blob.find(sig)
    assert blob[i + off:i + off + 4] == real
    blob[i + off:i + off + 4] = fake
    count += 1
(out / "bomb_declared.npz").write_bytes(bytes(blob))
np.savez_compressed(out / "bomb_ratio.npz", arr_0=np.zeros((100, 1024, 1024, 3), np.uint8))

(out / "expected.json").write_text(json.dumps(expected))
