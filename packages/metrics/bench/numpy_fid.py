"""numpy's side of `npm run bench` (packages/metrics/bench/run.mjs): one round of timings.

Usage: python3 numpy_fid.py A.npy B.npy [--sqrtm]
Prints one JSON object: seconds for np.cov of A (with its mean), and for FID from the two
statistics by Cholesky + eigvalsh (the exact route we implement) and, with --sqrtm, by
pytorch-fid's scipy.linalg.sqrtm.
"""
import json
import sys
import time

import numpy as np


def main():
    a = np.load(sys.argv[1]).astype(np.float64)
    b = np.load(sys.argv[2]).astype(np.float64)
    t = time.perf_counter()
    mu1, s1 = a.mean(axis=0), np.cov(a, rowvar=False)
    t_cov = time.perf_counter() - t
    mu2, s2 = b.mean(axis=0), np.cov(b, rowvar=False)
    t = time.perf_counter()
    L = np.linalg.cholesky(s1)
    lam = np.linalg.eigvalsh(L.T @ s2 @ L)
    tr = np.sqrt(np.clip(lam, 0, None)).sum()
    fid = float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * tr)
    t_fid = time.perf_counter() - t
    out = {"numpy": np.__version__, "cov_s": t_cov, "fid_s": t_fid, "fid": fid,
           "trace1": float(np.trace(s1)), "sum_sigma1": float(s1.sum())}
    if "--sqrtm" in sys.argv:
        import scipy.linalg
        t = time.perf_counter()
        covmean, _ = scipy.linalg.sqrtm(s1.dot(s2), disp=False)
        out["sqrtm_fid"] = float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean.real))
        out["sqrtm_s"] = time.perf_counter() - t
    print(json.dumps(out))


if __name__ == "__main__":
    main()
