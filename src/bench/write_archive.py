"""Writes benchmark archives in the lab's layout (key arr_0, object array (N, 2) of [uint8 1024x1024x3 tile,
label]) with numpy itself: np.savez_compressed (how real tiles are stored) and np.savez (generated ones).

Tiles: H&E-like colour fields (pink stroma, purple nuclei, white gaps) with pixel noise, so that deflate
compresses them about as much as real H&E tiles (roughly 2-3x); each tile is a different shift of one of
8 drawn fields with its own noise.

usage: python3 write_archive.py OUTDIR N [PREFIX]
"""
import sys
from pathlib import Path

import numpy as np

out, n = Path(sys.argv[1]), int(sys.argv[2])
prefix = sys.argv[3] if len(sys.argv) > 3 else "lab"
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(2026)
S = 1024
yy, xx = np.mgrid[0:S, 0:S].astype(np.float32)


def field(k):
    f = 0.5 + 0.25 * np.sin(xx / (40 + 9 * k)) * np.cos(yy / (33 + 7 * k)) + 0.25 * np.sin((xx + yy) / (90 + k))
    t = np.empty((S, S, 3), np.float32)
    t[...] = (231, 148, 190)
    t[f < 0.3] = (244, 240, 243)
    nuclei = (np.sin(xx / 6.0 + k) * np.sin(yy / 5.0 + 2 * k)) > 0.75
    t[nuclei & (f >= 0.3)] = (72, 46, 128)
    return t


bases = [field(k) for k in range(8)]
tiles = np.empty((n, 2), dtype=object)
for i in range(n):
    base = np.roll(bases[i % 8], shift=(int(rng.integers(0, S)), int(rng.integers(0, S))), axis=(0, 1))
    noise = rng.normal(0, 2.5, (S, S, 3)).astype(np.float32)
    tiles[i, 0] = np.clip(base + noise, 0, 255).astype(np.uint8)
    tiles[i, 1] = int(i % 2)
np.savez_compressed(out / f"{prefix}_compressed.npz", tiles)
np.savez(out / f"{prefix}_stored.npz", tiles)
