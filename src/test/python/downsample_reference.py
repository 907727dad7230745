"""Reference of training.Downsample.minMax: per pixel bucket the indices of the smallest and largest finite value.

Reads JSON {"steps": [...], "values": [... or "NaN"/"Infinity"/"-Infinity"], "from": a, "to": b, "width": w} from the
file given, writes the kept indices (ascending) as JSON. Bucket of a step: (step - from) * width // (to - from + 1),
capped at width - 1; a bucket of only non-finite values keeps its first index; ties keep the first (np.argmin).
"""
import json
import sys

import numpy as np

spec = json.load(open(sys.argv[1]))
steps = np.asarray(spec["steps"], dtype=np.int64)
values = np.asarray([float(v) for v in spec["values"]], dtype=np.float64)
lo, hi, width = int(spec["from"]), int(spec["to"]), int(spec["width"])
buckets = np.minimum((steps - lo) * width // (hi - lo + 1), width - 1)
kept = []
for b in np.unique(buckets):
    idx = np.nonzero(buckets == b)[0]
    v = values[idx]
    finite = np.isfinite(v)
    if not finite.any():
        kept.append(int(idx[0]))
        continue
    fi = idx[finite]
    fv = v[finite]
    kept.extend({int(fi[np.argmin(fv)]), int(fi[np.argmax(fv)])})
print(json.dumps(sorted(kept)))
