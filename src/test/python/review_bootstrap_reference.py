#!/usr/bin/env python3
"""Reference for ReviewBootstrapTest: the review module's agreement coefficients, their item bootstrap and the
two-way (rater x item) cluster bootstrap of pooled accuracy, re-implemented with numpy from the streams documented
in org.stainbench.review.stats.ItemBootstrap and ClusterBootstrap.

  python3 src/test/python/review_bootstrap_reference.py DIR

writes the inputs and the expected values to DIR/expected.json (and prints them).

  python3 src/test/python/review_bootstrap_reference.py --session IN.json

reads one session's first-showing table as the results page lays it out (raters with answers in session order x
all items in session order; "correct" true / false / null, "ratings" 0 / 1 / null), "seed", "resamples" and
per-rater "seconds", and prints the pooled accuracy with its two-way cluster bootstrap interval, Fleiss' kappa over
the items every rater answered and nominal Krippendorff's alpha over all items, each with its item bootstrap
interval, and each rater's median and quartiles of the seconds. Kappas come from numpy
confusion matrices, Fleiss' kappa from the items x categories table, Krippendorff's alpha from the coincidence
matrix (Krippendorff 2011) built with numpy outer products; intervals are np.percentile(v[~isnan(v)], [2.5, 97.5])
(numpy's default linear method). SplitMix64 is metrics_reference.SplitMix64 (Python integers).
"""
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from metrics_reference import SplitMix64  # noqa: E402


# ---------------------------------------------------------------- point statistics (numpy)

def weighted_kappa(a, b, cats, weights):
    a, b = np.asarray(a), np.asarray(b)
    k = len(cats)
    pos = {c: i for i, c in enumerate(cats)}
    o = np.zeros((k, k))
    np.add.at(o, (np.array([pos[x] for x in a]), np.array([pos[x] for x in b])), 1.0)
    o /= len(a)
    e = np.outer(o.sum(axis=1), o.sum(axis=0))
    i, j = np.indices((k, k))
    w = {"NONE": (i != j).astype(float), "LINEAR": np.abs(i - j).astype(float),
         "QUADRATIC": ((i - j) ** 2).astype(float)}[weights]
    den = (w * e).sum()
    if den == 0:
        return float("nan")
    return float(1.0 - (w * o).sum() / den)


def fleiss_kappa(counts):
    counts = np.asarray(counts, dtype=float)
    n_items, m = counts.shape[0], counts[0].sum()
    p_item = ((counts * (counts - 1)).sum(axis=1)) / (m * (m - 1))
    p_cat = counts.sum(axis=0) / (n_items * m)
    pe = (p_cat ** 2).sum()
    if pe == 1.0:
        return float("nan")
    return float((p_item.mean() - pe) / (1 - pe))


def kripp_alpha(data, level, values):
    """data: raters x units float array with nan for missing; values: the ordered possible values."""
    k = len(values)
    o = np.zeros((k, k))
    for u in range(data.shape[1]):
        col = data[:, u]
        col = col[~np.isnan(col)]
        if len(col) < 2:
            continue
        nu = np.array([(col == v).sum() for v in values], dtype=float)
        o += (np.outer(nu, nu) - np.diag(nu)) / (len(col) - 1)
    nc = o.sum(axis=1)
    n = nc.sum()
    if n < 2:
        return float("nan")
    v = np.asarray(values, dtype=float)
    if level == "NOMINAL":
        d = 1.0 - np.eye(k)
    elif level == "INTERVAL":
        d = (v[:, None] - v[None, :]) ** 2
    else:
        cum = np.concatenate([[0.0], np.cumsum(nc)])
        d = np.zeros((k, k))
        for c in range(k):
            for e in range(k):
                lo, hi = min(c, e), max(c, e)
                s = cum[hi + 1] - cum[lo] - (nc[lo] + nc[hi]) / 2.0
                d[c, e] = 0.0 if c == e else s * s
    expected = (np.outer(nc, nc) * d).sum()
    if expected == 0:
        return float("nan")
    return float(1.0 - (n - 1) * (o * d).sum() / expected)


# ---------------------------------------------------------------- the documented streams

def item_plan(seed, resamples, n):
    rng = SplitMix64(seed)
    return [np.array([rng.next_int(n) for _ in range(n)], dtype=int) for _ in range(resamples)]


def two_way_plan(seed, resamples, raters, items):
    rng = SplitMix64(seed)
    out = []
    for _ in range(resamples):
        r = np.array([rng.next_int(raters) for _ in range(raters)], dtype=int)
        i = np.array([rng.next_int(items) for _ in range(items)], dtype=int)
        out.append((r, i))
    return out


def interval(values):
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    lo, hi = np.percentile(v, [2.5, 97.5])
    return {"low": float(lo), "high": float(hi), "defined": int(len(v))}


def cluster_accuracy(correct, plan):
    """correct: raters x items float array of 1 / 0 / nan."""
    seen = (~np.isnan(correct)).astype(np.int64)
    hit = np.where(np.isnan(correct), 0, correct).astype(np.int64)
    vals = []
    for r, i in plan:
        cr = np.bincount(r, minlength=correct.shape[0])
        ci = np.bincount(i, minlength=correct.shape[1])
        num = int(cr @ hit @ ci)
        den = int(cr @ seen @ ci)
        vals.append(float("nan") if den == 0 else num / den)
    return vals


def main():
    out = sys.argv[1]
    g = np.random.default_rng(20261206)
    seed, b_count = 20261206, 400

    # two raters, ordinal 1..5, 50 items
    a = g.integers(1, 6, size=50)
    b = np.clip(a + g.integers(-1, 2, size=50), 1, 5)
    b[::6] = g.integers(1, 6, size=len(b[::6]))
    cats = [1, 2, 3, 4, 5]
    plan_k = item_plan(seed, b_count, len(a))
    kappa = {"a": a.tolist(), "b": b.tolist(), "categories": cats}
    for w in ["NONE", "LINEAR", "QUADRATIC"]:
        kappa[w] = {"point": weighted_kappa(a, b, cats, w),
                    "interval": interval([weighted_kappa(a[p], b[p], cats, w) for p in plan_k])}
    kappa["plan_first"] = plan_k[0].tolist()
    kappa["plan_last"] = plan_k[-1].tolist()

    # a sparse pair: most resamples put both raters in one category, so some kappas are undefined
    sa = np.array([1, 1, 1, 1, 1, 1, 1, 0])
    sb = np.array([1, 1, 1, 1, 1, 1, 0, 1])
    plan_s = item_plan(seed, b_count, len(sa))
    sparse = {"a": sa.tolist(), "b": sb.tolist(), "point": weighted_kappa(sa, sb, [0, 1], "NONE"),
              "interval": interval([weighted_kappa(sa[p], sb[p], [0, 1], "NONE") for p in plan_s])}

    # three raters, four categories, 30 items: Fleiss' kappa
    truth = g.integers(0, 4, size=30)
    ratings = np.array([np.where(g.random(30) < 0.7, truth, g.integers(0, 4, size=30)) for _ in range(3)])
    counts = np.array([np.bincount(ratings[:, i], minlength=4) for i in range(30)])
    plan_f = item_plan(seed, b_count, 30)
    fleiss = {"counts": counts.tolist(), "point": fleiss_kappa(counts),
              "interval": interval([fleiss_kappa(counts[p]) for p in plan_f])}

    # four raters x 25 units, values 1..5, ~15 % missing: Krippendorff's alpha
    unit = g.integers(1, 6, size=25)
    data = np.array([np.clip(unit + g.integers(-1, 2, size=25), 1, 5) for _ in range(4)]).astype(float)
    data[g.random(data.shape) < 0.15] = np.nan
    data[:, 3] = np.nan
    data[0, 3] = 4.0  # a unit with a single answer (not pairable)
    plan_a = item_plan(seed, b_count, 25)
    alpha = {"data": [[None if np.isnan(x) else int(x) for x in row] for row in data]}
    for level in ["NOMINAL", "ORDINAL", "INTERVAL"]:
        alpha[level] = {"point": kripp_alpha(data, level, cats),
                        "interval": interval([kripp_alpha(data[:, p], level, cats) for p in plan_a])}

    # 2AFC-like correctness: 5 raters x 36 items, rater and item effects, per-rater subsets leave holes
    skill = g.normal(0, 0.6, size=5)
    hard = g.normal(0, 0.9, size=36)
    p = 1 / (1 + np.exp(-(0.3 + skill[:, None] - hard[None, :])))
    correct = (g.random((5, 36)) < p).astype(float)
    correct[g.random(correct.shape) < 0.2] = np.nan
    correct[4, :30] = np.nan  # a rater with few answers
    plan_c = two_way_plan(seed, b_count, 5, 36)
    seen = ~np.isnan(correct)
    cluster = {"correct": [[None if np.isnan(x) else bool(x) for x in row] for row in correct],
               "correct_count": int(np.nansum(correct)), "answered": int(seen.sum()),
               "point": float(np.nansum(correct) / seen.sum()),
               "interval": interval(cluster_accuracy(correct, plan_c)),
               "plan_first_raters": plan_c[0][0].tolist(), "plan_first_items": plan_c[0][1].tolist(),
               "plan_last_raters": plan_c[-1][0].tolist(), "plan_last_items": plan_c[-1][1].tolist()}

    times = g.lognormal(1.5, 0.6, size=17)
    quant = {"values": times.tolist(), "median": float(np.median(times)),
             "q1": float(np.percentile(times, 25)), "q3": float(np.percentile(times, 75))}

    text = json.dumps({"seed": seed, "resamples": b_count, "kappa": kappa, "sparse": sparse, "fleiss": fleiss,
                       "alpha": alpha, "cluster": cluster, "quantiles": quant})
    with open(os.path.join(out, "expected.json"), "w") as f:
        f.write(text)
    print(text)


def session(path):
    with open(path) as f:
        d = json.load(f)
    seed, b_count = d["seed"], d["resamples"]
    correct = np.array([[np.nan if x is None else float(x) for x in row] for row in d["correct"]])
    ratings = np.array([[np.nan if x is None else float(x) for x in row] for row in d["ratings"]])
    n_raters, n_items = correct.shape
    out = {"cluster": {"correct": int(np.nansum(correct)), "answered": int((~np.isnan(correct)).sum()),
                       "point": float(np.nansum(correct) / (~np.isnan(correct)).sum()),
                       "interval": interval(cluster_accuracy(correct, two_way_plan(seed, b_count, n_raters, n_items)))}}
    complete = ratings[:, ~np.isnan(ratings).any(axis=0)].astype(int)
    counts = np.array([np.bincount(complete[:, i], minlength=2) for i in range(complete.shape[1])])
    plan_f = item_plan(seed, b_count, len(counts))
    out["fleiss"] = {"items": int(len(counts)), "point": fleiss_kappa(counts),
                     "interval": interval([fleiss_kappa(counts[p]) for p in plan_f])}
    plan_a = item_plan(seed, b_count, n_items)
    out["alpha"] = {"point": kripp_alpha(ratings, "NOMINAL", [0, 1]),
                    "interval": interval([kripp_alpha(ratings[:, p], "NOMINAL", [0, 1]) for p in plan_a])}
    out["times"] = {r: {"n": len(v), "median": float(np.median(v)), "q1": float(np.percentile(v, 25)),
                        "q3": float(np.percentile(v, 75))} for r, v in d["seconds"].items() if v}
    print(json.dumps(out))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--session":
        session(sys.argv[2])
    else:
        main()
