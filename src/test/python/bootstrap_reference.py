#!/usr/bin/env python3
"""Reference for PatientBootstrapTest: the patient bootstrap, the paired difference and the stratified tile draw,
re-implemented with numpy from the streams documented in PatientBootstrap and StratifiedDraw.

  python3 src/test/python/bootstrap_reference.py DIR

writes DIR/real.npy, DIR/gen_a.npy, DIR/gen_b.npy (float64 features) and DIR/*_patients.npy (int64 patient index
per row), and writes the expected values to DIR/expected.json (and prints them). FID is pytorch-fid's formula (np.cov, scipy.linalg.sqrtm);
KID is torchmetrics' poly_mmd over SplitMix64 subsets; the stain distance is scipy.stats.wasserstein_distance;
intervals are np.percentile(values, [2.5, 97.5]) (numpy's default linear method).
"""
import json
import os
import sys

import numpy as np
import scipy.stats

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from metrics_reference import MASK, SplitMix64, fid_pytorch_fid, kid  # noqa: E402

SALT = 0x74696C6573


def plan(seed, resamples, p_real, p_gen):
    """PatientBootstrap.plan: per resample, P_real draws of next_int(P_real), then P_gen of next_int(P_gen)."""
    rng = SplitMix64(seed)
    real, gen = [], []
    for _ in range(resamples):
        r = np.zeros(p_real, dtype=int)
        for _ in range(p_real):
            r[rng.next_int(p_real)] += 1
        g = np.zeros(p_gen, dtype=int)
        for _ in range(p_gen):
            g[rng.next_int(p_gen)] += 1
        real.append(r)
        gen.append(g)
    return real, gen


def resample(x, patients, counts):
    """Rows of patient 0 (counts[0] times), then patient 1, ... each in original row order."""
    idx = []
    for p, c in enumerate(counts):
        rows = np.flatnonzero(patients == p)
        idx.extend(list(rows) * int(c))
    return x[np.array(idx, dtype=int)]


def allocate(per_patient, k):
    total = sum(per_patient)
    out = [k * n // total for n in per_patient]
    rem = [k * n % total for n in per_patient]
    order = sorted(range(len(per_patient)), key=lambda p: (-rem[p], p))
    i = 0
    while sum(out) < k:
        out[order[i]] += 1
        i += 1
    return out


def stratified(seed, per_patient, k):
    alloc = allocate(per_patient, k)
    rng = SplitMix64((seed ^ SALT) & MASK)
    return [sorted(rng.sample_without_replacement(n, a)) for n, a in zip(per_patient, alloc)]


def main():
    out = sys.argv[1]
    g = np.random.default_rng(20261206)
    d = 6
    # 5 real patients and 4 generated patients with 6..15 tiles each; generated sets a and b of the same patients
    real_sizes = [9, 14, 7, 12, 10]
    gen_sizes = [11, 8, 13, 9]
    mix = np.eye(d) + 0.3 * g.standard_normal((d, d))
    real = np.concatenate([g.standard_normal((n, d)) @ mix + 0.4 * g.standard_normal(d) for n in real_sizes])
    real_p = np.concatenate([[p] * n for p, n in enumerate(real_sizes)]).astype(np.int64)
    gen_a = np.concatenate([g.standard_normal((n, d)) @ mix * 1.1 + 0.3 + 0.4 * g.standard_normal(d) for n in gen_sizes])
    gen_b = gen_a * 0.97 + 0.05 * g.standard_normal(gen_a.shape) + 0.02
    gen_p = np.concatenate([[p] * n for p, n in enumerate(gen_sizes)]).astype(np.int64)
    for name, arr in [("real", real), ("gen_a", gen_a), ("gen_b", gen_b), ("real_patients", real_p),
                      ("gen_patients", gen_p)]:
        np.save(os.path.join(out, name + ".npy"), np.asarray(arr, dtype=np.float64).reshape(len(arr), -1))

    seed, b_count = 7, 60
    real_c, gen_c = plan(seed, b_count, len(real_sizes), len(gen_sizes))
    fid_a, fid_b, kid_a, w1_a = [], [], [], []
    for rc, gc in zip(real_c, gen_c):
        r = resample(real, real_p, rc)
        xa = resample(gen_a, gen_p, gc)
        xb = resample(gen_b, gen_p, gc)
        fid_a.append(fid_pytorch_fid(r, xa)[0])
        fid_b.append(fid_pytorch_fid(r, xb)[0])
        m = min(20, len(r), len(xa))
        kid_a.append(kid(r, xa, 5, m, 3)[0])
        w1_a.append(float(scipy.stats.wasserstein_distance(r[:, 0], xa[:, 0])))
    diff = np.array(fid_a) - np.array(fid_b)

    def interval(v):
        lo, hi = np.percentile(np.array(v), [2.5, 97.5])
        return [float(lo), float(hi)]

    text = json.dumps({
        "seed": seed, "resamples": b_count,
        "plan_real_first": [int(x) for x in real_c[0]], "plan_gen_first": [int(x) for x in gen_c[0]],
        "plan_real_last": [int(x) for x in real_c[-1]], "plan_gen_last": [int(x) for x in gen_c[-1]],
        "fid_a": fid_a, "fid_b": fid_b, "fid_a_interval": interval(fid_a), "fid_b_interval": interval(fid_b),
        "diff_interval": interval(diff),
        "kid_a": kid_a, "kid_a_interval": interval(kid_a),
        "w1_a": w1_a, "w1_a_interval": interval(w1_a),
        "percentile_cases": {"values": [3.0, 1.0, 2.0, 10.0, 4.0, 7.5, -1.0],
                             "interval": interval([3.0, 1.0, 2.0, 10.0, 4.0, 7.5, -1.0])},
        "stratified": {"per_patient": [40, 7, 23, 0, 15], "k": 30,
                       "allocation": allocate([40, 7, 23, 0, 15], 30),
                       "seed3": stratified(3, [40, 7, 23, 0, 15], 30),
                       "seed4": stratified(4, [40, 7, 23, 0, 15], 30)},
    })
    with open(os.path.join(out, "expected.json"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
