#!/usr/bin/python3
"""Reference values for org.stainbench.evaluation.metrics.RankCorrelation from scipy.

    python3 src/test/python/agreement_reference.py

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


if __name__ == "__main__":
    main()
