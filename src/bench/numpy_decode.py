"""Times numpy reading every tile of a lab-layout archive: np.load(path, allow_pickle=True)['arr_0'] and a
pass over the rows taking each tile (the bare decode the lab's scripts do before any measure).

usage: python3 numpy_decode.py ARCHIVE   -> one JSON line
"""
import json
import sys
import time

import numpy as np

t0 = time.perf_counter()
with np.load(sys.argv[1], allow_pickle=True) as z:
    a = z["arr_0"]
    nbytes = 0
    for i in range(a.shape[0]):
        tile = a[i, 0]
        nbytes += tile.nbytes
dt = time.perf_counter() - t0
print(json.dumps({"tiles": int(a.shape[0]), "seconds": round(dt, 3), "tiles_per_s": round(a.shape[0] / dt, 2),
                  "mb_per_s": round(nbytes / 1e6 / dt, 1)}))
