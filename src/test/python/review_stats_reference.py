#!/usr/bin/python3
"""Reference values for org.stainbench.review.stats, from scikit-learn, statsmodels and scipy.

Run with Debian's python3 (apt-get install -y python3-sklearn python3-statsmodels):
    /usr/bin/python3 src/test/python/review_stats_reference.py
Writes src/test/resources/review/stats_expected.json (committed). Published worked examples (Fleiss 1971,
Krippendorff 2011, Newcombe 1998) are quoted in the Java test itself.
"""
import json
import os

import numpy as np
import scipy
import scipy.stats
import sklearn
import statsmodels
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa
from statsmodels.stats.proportion import proportion_confint

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "review")


def main():
    g = np.random.default_rng(8)
    a = g.integers(1, 6, size=60)
    b = np.clip(a + g.integers(-1, 2, size=60), 1, 5)
    b[::7] = g.integers(1, 6, size=len(b[::7]))
    counts = np.array([np.bincount(g.integers(0, 4, size=6), minlength=4) for _ in range(25)])
    x = g.gamma(2.0, 1.5, size=40)
    res = scipy.stats.bootstrap((x,), np.mean, n_resamples=20000, confidence_level=0.95, method="percentile",
                                random_state=np.random.default_rng(0))
    expected = {
        "versions": {"sklearn": sklearn.__version__, "statsmodels": statsmodels.__version__,
                     "scipy": scipy.__version__, "numpy": np.__version__},
        "kappa": {"a": a.tolist(), "b": b.tolist(),
                  "cohen": float(cohen_kappa_score(a, b)),
                  "linear": float(cohen_kappa_score(a, b, weights="linear")),
                  "quadratic": float(cohen_kappa_score(a, b, weights="quadratic")),
                  "expr": "sklearn.metrics.cohen_kappa_score(a, b[, weights='linear'|'quadratic'])"},
        "fleiss": {"counts": counts.tolist(), "kappa": float(fleiss_kappa(counts, method="fleiss")),
                   "expr": "statsmodels.stats.inter_rater.fleiss_kappa(counts, method='fleiss')"},
        "wilson": [{"k": k, "n": n, "low": float(lo), "high": float(hi)}
                   for k, n in [(81, 263), (15, 148), (0, 20), (1, 29), (37, 50)]
                   for lo, hi in [proportion_confint(k, n, alpha=0.05, method="wilson")]],
        "wilson_expr": "statsmodels.stats.proportion.proportion_confint(k, n, alpha=0.05, method='wilson')",
        "binom": [{"k": k, "n": n, "p": float(scipy.stats.binomtest(k, n, 0.5).pvalue)}
                  for k, n in [(7, 10), (5, 10), (0, 12), (61, 100), (540, 1000), (2600, 5000)]],
        "binom_expr": "scipy.stats.binomtest(k, n, 0.5).pvalue (two-sided)",
        "bootstrap": {"x": x.tolist(), "low": float(res.confidence_interval.low),
                      "high": float(res.confidence_interval.high), "se": float(res.standard_error),
                      "expr": "scipy.stats.bootstrap((x,), np.mean, n_resamples=20000, method='percentile')"},
    }
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "stats_expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print("wrote", os.path.normpath(OUT))


if __name__ == "__main__":
    main()
