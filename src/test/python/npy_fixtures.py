"""Writes .npy files with numpy for the Java codec tests, and expected.json with their values.

usage: python3 npy_fixtures.py OUTDIR
"""
import json
import sys
from pathlib import Path

import numpy as np
from numpy.lib import format as npformat

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(7)
expected = {}


def save(name, arr, version=None):
    path = out / f"{name}.npy"
    with open(path, "wb") as f:
        npformat.write_array(f, arr, version=version)
    expected[name] = {"shape": list(arr.shape), "values": np.asarray(arr, dtype=np.float64).ravel(order="C").tolist()}


save("f4_v1", rng.standard_normal((5, 3)).astype("<f4"))
save("f8_v2", rng.standard_normal((4, 6)), version=(2, 0))
save("f8_v3", rng.standard_normal((3, 2)), version=(3, 0))
save("i2_big_endian", rng.integers(-30000, 30000, (4, 4)).astype(">i2"))
save("u1", rng.integers(0, 256, (3, 5)).astype("u1"))
save("fortran", np.asfortranarray(rng.standard_normal((4, 3))))
save("one_d", np.arange(6, dtype="<i8"))
(out / "expected.json").write_text(json.dumps(expected))
