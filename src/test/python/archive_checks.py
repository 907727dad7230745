"""Archives written by numpy for the catalog's checks that an archive agrees with its dataset (issue 16, item 2).

usage: python3 archive_checks.py OUTDIR

  tissue64.npz            np.savez_compressed, key 'tiles': uint8 (6, 64, 64, 3) tissue-like tiles (valid)
  tissue64_b/_c/_d.npz    the same layout, other tiles (valid; the catalog refuses the same content twice)
  lab64.npz               the lab's layout (key arr_0, object array (N, 2) of [tile, label]), 64 px (valid)
  small32.npz             plain uint8 (4, 32, 32, 3): tiles of another size than a 64 px dataset's
  lab32.npz               the lab's layout with 32 px tiles (size known only once the tiles are decoded)
  binary.npz              uint8 (4, 64, 64, 3) holding only 0 and 1 (a [0, 1] image stored as 8 bits)
  constant.npz            uint8 (4, 64, 64, 3), every value 7
  damaged_plain.npz       tissue tiles, np.savez_compressed, with bytes in the middle of the deflate stream changed
  damaged_lab.npz         the lab's layout, np.savez_compressed, deflate stream damaged the same way
"""
import sys
import zipfile
from pathlib import Path

import numpy as np

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(16)


def tissue(h, w):
    yy, xx = np.mgrid[0:h, 0:w]
    base = np.empty((h, w, 3), np.uint8)
    base[...] = (230, 160, 200)
    blobs = (np.sin(xx / (5.0 + rng.random() * 4)) * np.cos(yy / (4.0 + rng.random() * 4))) > 0.3
    base[blobs] = (70, 50, 140)
    noise = rng.integers(-12, 13, (h, w, 3))
    return np.clip(base.astype(np.int64) + noise, 0, 255).astype(np.uint8)


def tiles(n, size):
    return np.stack([tissue(size, size) for _ in range(n)])


def lab(path, n, size):
    arr = np.empty((n, 2), dtype=object)
    for i in range(n):
        arr[i, 0] = tissue(size, size)
        arr[i, 1] = i % 2
    np.savez_compressed(path, arr)


def damage(path):
    """Changes 64 bytes at 60 % of the first entry's compressed data (the local header and npy header stay intact)."""
    with zipfile.ZipFile(path) as z:
        info = z.infolist()[0]
    data = bytearray(path.read_bytes())
    name_len = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little")
    extra_len = int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    at = start + int(info.compress_size * 0.6)
    for k in range(64):
        data[at + k] ^= 0x5A
    path.write_bytes(bytes(data))


np.savez_compressed(out / "tissue64.npz", tiles=tiles(6, 64))
np.savez_compressed(out / "tissue64_b.npz", tiles=tiles(6, 64))
np.savez_compressed(out / "tissue64_c.npz", tiles=tiles(6, 64))
np.savez_compressed(out / "tissue64_d.npz", tiles=tiles(6, 64))
lab(out / "lab64.npz", 5, 64)
np.savez_compressed(out / "small32.npz", tiles=tiles(4, 32))
lab(out / "lab32.npz", 4, 32)
np.savez_compressed(out / "binary.npz", tiles=rng.integers(0, 2, (4, 64, 64, 3), dtype=np.uint8))
np.savez_compressed(out / "constant.npz", tiles=np.full((4, 64, 64, 3), 7, np.uint8))
np.savez_compressed(out / "damaged_plain.npz", tiles=tiles(8, 64))
damage(out / "damaged_plain.npz")
lab(out / "damaged_lab.npz", 8, 64)
damage(out / "damaged_lab.npz")

# the damage is real: numpy itself cannot read the damaged archives back
for name in ("damaged_plain.npz", "damaged_lab.npz"):
    try:
        with np.load(out / name, allow_pickle=True) as z:
            for k in z.files:
                z[k]
    except Exception:
        continue
    raise SystemExit(name + " was still readable")
print("ok")
