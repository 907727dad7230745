"""Reference values for SeedGroupsTest: per-step mean and sample std across seeds.

Three runs (seeds) of one configuration, loss per step; run 2 has no step 3.
Prints JSON: {"mean": [...], "std": [...], "n": [...]} for steps 0..3, computed as
np.nanmean(a, axis=0) and np.nanstd(a, axis=0, ddof=1) over the runs that have the step.
"""
import json

import numpy as np

a = np.array([
    [0.90, 0.61, 0.42, 0.35],
    [0.95, 0.58, 0.47, 0.33],
    [0.88, 0.66, 0.40, np.nan],
])
print(json.dumps({
    "mean": np.nanmean(a, axis=0).tolist(),
    "std": np.nanstd(a, axis=0, ddof=1).tolist(),
    "n": np.sum(~np.isnan(a), axis=0).tolist(),
    "final_mean": float(np.mean([0.35, 0.33, 0.40])),
    "final_std": float(np.std([0.35, 0.33, 0.40], ddof=1)),
}))
