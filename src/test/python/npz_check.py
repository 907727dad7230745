"""Loads an archive the way the lab does (np.load(path, allow_pickle=True)) and prints what numpy sees, as JSON:
for every key its dtype and shape; for object arrays (N, 2) the per-tile pixel sums, tile shapes and labels;
for uint8 (N, H, W, 3) arrays the per-tile sums.

usage: python3 npz_check.py PATH
"""
import json
import sys

import numpy as np

result = {}
with np.load(sys.argv[1], allow_pickle=True) as z:
    for key in z.files:
        a = z[key]
        entry = {"dtype": str(a.dtype), "shape": list(a.shape)}
        if a.dtype == object:
            entry["sums"] = [int(np.asarray(a[i, 0]).astype(np.int64).sum()) for i in range(a.shape[0])]
            entry["tile_shapes"] = [list(np.asarray(a[i, 0]).shape) for i in range(a.shape[0])]
            entry["tile_dtypes"] = sorted({str(np.asarray(a[i, 0]).dtype) for i in range(a.shape[0])})
            entry["labels"] = [float(a[i, 1]) for i in range(a.shape[0])]
        elif a.dtype == np.uint8 and a.ndim == 4:
            entry["sums"] = [int(a[i].astype(np.int64).sum()) for i in range(a.shape[0])]
        result[key] = entry
print(json.dumps(result))
