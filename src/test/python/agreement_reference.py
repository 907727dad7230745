#!/usr/bin/python3
"""Reference values for org.stainbench.evaluation.metrics.RankCorrelation from scipy.

    python3 src/test/python/agreement_reference.py
    python3 src/test/python/agreement_reference.py bootstrap INPUT.json

The second form re-implements the documented bootstrap stream (java.util.SplittableRandom(seed).nextInt, per
resample n checkpoint draws then R rater draws; outcomes pooled over the drawn raters; resamples with an undefined
statistic left out; numpy's linear percentile) with scipy's spearmanr / kendalltau and prints
{"rho", "tau", "rho_interval": [low, high, defined], "tau_interval": [...]} for INPUT
{"metric", "sum", "count", "reference", "resamples", "level", "seed"}.

prints JSON: {"scipy": version, "cases": [{"x": [...], "y": [...], "ranks_x": [...], "rho": r, "tau": t}, ...]}
with rho = scipy.stats.spearmanr(x, y).statistic and tau = scipy.stats.kendalltau(x, y) (tau-b, the default);
null where scipy returns NaN (a constant side). Cases: few checkpoints (4-6, as pages meet them), ties on one or
both sides (Likert means, shares of raters fooled), many pairs, perfect and reversed orders, a constant side.
"""
import json
import warnings
import math

import numpy as np
import scipy
import scipy.stats


def case(x, y):
    x = [float(v) for v in x]
    y = [float(v) for v in y]
    rho = scipy.stats.spearmanr(x, y).statistic
    tau = scipy.stats.kendalltau(x, y).statistic
    nan = lambda v: None if v is None or math.isnan(v) else float(v)
    return {"x": x, "y": y, "ranks_x": [float(r) for r in scipy.stats.rankdata(x)], "rho": nan(rho), "tau": nan(tau)}


def main():
    warnings.simplefilter("ignore")  # a constant side: scipy warns and returns NaN (null here)
    g = np.random.default_rng(16)
    cases = [
        case([12.1, 15.3, 9.8, 20.4], [0.40, 0.25, 0.45, 0.10]),
        case([1, 2, 3, 4, 5], [5, 4, 3, 2, 1]),
        case([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]),
        case([3.0, 3.0, 1.0, 2.0, 2.0, 5.0], [0.5, 0.25, 0.25, 0.75, 0.5, 0.0]),
        case([0.1, 0.2, 0.2, 0.2, 0.4], [4.0, 4.0, 3.5, 3.5, 1.0]),
        case([1, 2, 3, 4], [2, 2, 2, 2]),
    ]
    for n in (4, 7, 12, 40):
        x = g.gamma(2.0, 10.0, size=n)
        y = np.round(-0.05 * x + g.normal(0, 0.5, size=n), 1)  # rounded: ties
        cases.append(case(x, y))
        cases.append(case(np.round(x), g.integers(1, 6, size=n)))
    print(json.dumps({"scipy": scipy.__version__, "cases": cases}))


MASK64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15


class SplittableRandom:
    """java.util.SplittableRandom(seed): nextInt(bound) exactly as OpenJDK 17 computes it."""

    def __init__(self, seed):
        self.seed = seed & MASK64

    def _next_seed(self):
        self.seed = (self.seed + GOLDEN_GAMMA) & MASK64
        return self.seed

    @staticmethod
    def _mix32(z):
        z = ((z ^ (z >> 33)) * 0x62A9D9ED799705F5) & MASK64
        return (((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & MASK64) >> 32

    @staticmethod
    def _int32(v):
        v &= 0xFFFFFFFF
        return v - (1 << 32) if v >= (1 << 31) else v

    def next_int(self, bound):
        r = self._int32(self._mix32(self._next_seed()))
        m = bound - 1
        if bound & m == 0:
            return r & m
        u = (r & 0xFFFFFFFF) >> 1
        while True:
            r = u % bound
            if self._int32(u + m - r) >= 0:
                return r
            u = (self._mix32(self._next_seed()) & 0xFFFFFFFF) >> 1


def bootstrap(spec):
    warnings.simplefilter("ignore")
    metric = np.array(spec["metric"], dtype=float)
    total = np.array(spec["sum"], dtype=float)
    count = np.array(spec["count"], dtype=float)
    ref = spec["reference"]
    rows = [c for c in range(total.shape[0]) if c != ref]
    n, raters = len(rows), total.shape[1]

    def outcome(c, rs):
        k = count[c, rs].sum()
        if k == 0:
            return math.nan
        mean = total[c, rs].sum() / k
        if ref < 0:
            return mean
        kr = count[ref, rs].sum()
        return math.nan if kr == 0 else abs(mean - total[ref, rs].sum() / kr)

    everyone = list(range(raters))
    o = np.array([outcome(rows[i], everyone) for i in range(n)])
    rho = scipy.stats.spearmanr(metric, o).statistic
    tau = scipy.stats.kendalltau(metric, o).statistic
    rng = SplittableRandom(spec["seed"])
    rhos, taus = [], []
    for _ in range(spec["resamples"]):
        drawn = [rng.next_int(n) for _ in range(n)]
        rs = [rng.next_int(raters) for _ in range(raters)]
        ob = np.array([outcome(rows[i], rs) for i in drawn])
        if np.isnan(ob).any():
            continue
        mb = metric[drawn]
        x = scipy.stats.spearmanr(mb, ob).statistic
        if not math.isnan(x):
            rhos.append(x)
        t = scipy.stats.kendalltau(mb, ob).statistic
        if not math.isnan(t):
            taus.append(t)
    q = [50 * (1 - spec["level"]), 50 * (1 + spec["level"])]

    def interval(v):
        return None if len(v) < 2 else [float(x) for x in np.percentile(v, q)] + [len(v)]

    print(json.dumps({"rho": float(rho), "tau": float(tau), "rho_interval": interval(rhos), "tau_interval": interval(taus)}))


if __name__ == "__main__":
    import sys
    if len(sys.argv) > 2 and sys.argv[1] == "bootstrap":
        with open(sys.argv[2]) as f:
            bootstrap(json.load(f))
    else:
        main()
