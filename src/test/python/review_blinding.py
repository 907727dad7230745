"""Real IHC tiles of very different texture for the review blinding test, and the check of what raters received.

usage: python3 review_blinding.py write OUTDIR
         writes OUTDIR/ihc_710_1.npz: 12 uint8 tiles of 128 x 128 under key 'x' (np.savez_compressed) — white noise,
         flat colour, smooth gradients, stripes, a checkerboard and tissue-like blobs — whose PNG (zlib) sizes differ a
         lot, so a content-dependent encoding would give the kinds away.
       python3 review_blinding.py check MANIFEST.json
         MANIFEST: {"width": W, "height": H, "npz": path, "images": [{"file": png, "real": index or null}]}.
         Per image: the chunk list is exactly IHDR, IDAT, IEND; IHDR says W x H, 8-bit RGB, no interlace; every deflate
         block of the zlib stream is stored (BTYPE 00); the byte length is 8 + 25 + 12 + 2 + 5 ceil(raw / 65535) + raw
         + 4 + 12 with raw = H (3 W + 1); zlib's decompression gives rows with filter 0. A real tile (index given) must
         equal numpy's area-average resampling of the npz tile to W x H (weights: overlap of output pixel o's source
         interval [o s, (o + 1) s) with each source pixel, s = n / m) within 1 grey level. Prints JSON.
"""
import json
import struct
import sys
import zlib
from pathlib import Path

import numpy as np


def write(out):
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(17)
    h = w = 128
    yy, xx = np.mgrid[0:h, 0:w]
    tiles = []
    for k in range(12):
        kind = k % 6
        if kind == 0:  # white noise: incompressible
            t = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        elif kind == 1:  # flat brown: compresses to almost nothing
            t = np.empty((h, w, 3), np.uint8)
            t[...] = (150 + k, 100, 70)
        elif kind == 2:  # smooth gradients
            r = (128 + 100 * np.sin(xx / (9.0 + k))).astype(np.uint8)
            g = (100 + 60 * np.cos(yy / 13.0)).astype(np.uint8)
            b = ((xx + yy) % 256).astype(np.uint8)
            t = np.stack([r, g, b], axis=2)
        elif kind == 3:  # stripes
            t = np.where(((xx // (2 + k % 3)) % 2 == 0)[..., None], [120, 60, 40], [200, 170, 150]).astype(np.uint8)
        elif kind == 4:  # checkerboard
            t = np.where((((xx // 8) + (yy // 8)) % 2 == 0)[..., None], [90, 50, 30], [210, 190, 180]).astype(np.uint8)
        else:  # tissue-like blobs with noise
            base = np.empty((h, w, 3), np.uint8)
            base[...] = (220, 190, 170)
            blobs = (np.sin(xx / 7.0 + k) * np.cos(yy / 5.0)) > 0.2
            base[blobs] = (120, 70, 40)
            noise = rng.integers(-20, 21, (h, w, 3))
            t = np.clip(base.astype(np.int64) + noise, 0, 255).astype(np.uint8)
        tiles.append(t)
    x = np.stack(tiles).astype(np.uint8)
    np.savez_compressed(out / "ihc_710_1.npz", x=x)
    sizes = [len(zlib.compress(t.tobytes(), 6)) for t in tiles]
    print(json.dumps({"tiles": len(tiles), "zlibSizes": sizes}))


def area_weights(n, m):
    s = n / m
    wts = np.zeros((m, n))
    for o in range(m):
        a, b = o * s, (o + 1) * s
        for src in range(int(np.floor(a)), min(n, int(np.ceil(b)))):
            cover = min(b, src + 1) - max(a, src)
            if cover > 0:
                wts[o, src] = cover / s
    return wts


def chunks(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "signature"
    p = 8
    out = []
    while p < len(data):
        (n,) = struct.unpack(">I", data[p:p + 4])
        kind = data[p + 4:p + 8].decode("ascii")
        body = data[p + 8:p + 8 + n]
        (crc,) = struct.unpack(">I", data[p + 8 + n:p + 12 + n])
        assert crc == zlib.crc32(data[p + 4:p + 8 + n]) & 0xFFFFFFFF, "crc of " + kind
        out.append((kind, body))
        p += 12 + n
    return out


def stored_only(z):
    """Walks the zlib stream's deflate blocks by hand; true when every block is stored."""
    assert z[0] == 0x78 and ((z[0] << 8) | z[1]) % 31 == 0, "zlib header"
    p = 2
    while True:
        head = z[p]
        final, btype = head & 1, (head >> 1) & 3
        if btype != 0:
            return False
        n, nn = struct.unpack("<HH", z[p + 1:p + 5])
        assert n == (~nn & 0xFFFF), "LEN/NLEN"
        p += 5 + n
        if final:
            break
    assert p + 4 == len(z), "Adler-32 ends the stream"
    return True


def check(manifest):
    m = json.loads(Path(manifest).read_text())
    w, h = m["width"], m["height"]
    x = np.load(m["npz"])["x"]
    raw = h * (3 * w + 1)
    expected = 8 + 25 + 12 + 2 + 5 * -(-raw // 65535) + raw + 4 + 12
    lengths, worst = set(), 0.0
    for img in m["images"]:
        data = Path(img["file"]).read_bytes()
        lengths.add(len(data))
        cs = chunks(data)
        assert [c[0] for c in cs] == ["IHDR", "IDAT", "IEND"], [c[0] for c in cs]
        iw, ih, depth, colour, comp, filt, inter = struct.unpack(">IIBBBBB", cs[0][1])
        assert (iw, ih, depth, colour, comp, filt, inter) == (w, h, 8, 2, 0, 0, 0), (iw, ih, depth, colour, inter)
        assert stored_only(cs[1][1]), "a compressed deflate block"
        rows = np.frombuffer(zlib.decompress(cs[1][1]), np.uint8).reshape(h, 3 * w + 1)
        assert (rows[:, 0] == 0).all(), "filter 0"
        pixels = rows[:, 1:].reshape(h, w, 3).astype(np.float64)
        if img["real"] is not None:
            t = x[img["real"]].astype(np.float64)
            wy, wx = area_weights(t.shape[0], h), area_weights(t.shape[1], w)
            ref = np.einsum("ij,jkc,lk->ilc", wy, t, wx)
            worst = max(worst, float(np.abs(np.rint(ref) - pixels).max()))
    print(json.dumps({"lengths": sorted(lengths), "expected": expected, "worstRealDiff": worst,
                      "images": len(m["images"])}))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(Path(sys.argv[2]))
    else:
        check(sys.argv[2])
