#!/usr/bin/env python3
"""PyTorch CPU timing of ONE ns-gan training step of the default 2-D architecture, or (--model
dcgan) of one DCGAN 28x28 step.

The step is exactly the one `bench/step-timing.mjs` (timeNsGanStep) runs in tfjs and the ns-gan
family runs in training:
  G = MLP 64 -> 128 -> 128 -> 2 (ReLU), D = MLP 2 -> 128 -> 128 -> 1 (ReLU), batch 256,
  Adam lr 1e-4, betas (0.5, 0.999), PyTorch nn.Linear init.
  D step: x ~ ring-easy (8 Gaussians on a circle of radius 2, sigma 0.05, drawn in numpy),
          z ~ N(0, I); fake = G(z) without gradient;
          loss_D = BCEwithlogits(D(x), 1) + BCEwithlogits(D(fake), 0); Adam step on D.
  G step: z ~ N(0, I) (fresh); loss_G = BCEwithlogits(D(G(z)), 1) (non-saturating); Adam step on G.
  Each step ends by reading both losses back (.item()), as the training loop does.

--model dcgan: the step of bench/step-timing.mjs timeDcganStep (src/nn/dcgan.ts at width 32):
  G = Linear(100, 7*7*64, no bias) -> BN -> ReLU -> ConvT(64, 32, 4, 2, 1, no bias) -> BN -> ReLU
      -> ConvT(32, 1, 4, 2, 1) -> tanh;
  D = Conv(1, 32, 4, 2, 1) -> LeakyReLU 0.2 -> Conv(32, 64, 4, 2, 1, no bias) -> BN -> LeakyReLU
      -> Linear(3136, 1); batch 64, Adam 2e-4 betas (0.5, 0.999), the same ns-gan losses, real
  images fixed uniform noise in [-1, 1].

Usage: python3 torch_step.py [--threads N] [--steps 300] [--warmup 30] [--model ns-gan|dcgan]
Prints one JSON line {"threads", "ms_median", "ms_p10", "ms_min", "cpu_ms_per_step", "steps",
"torch", "blas"} (cpu_ms_per_step: process CPU time, all threads, per step).

--threads N must limit BLAS too: torch.set_num_threads alone leaves OpenBLAS on its own pool, so
the thread environment variables are set here BEFORE torch is imported (callers that spawn this
script should also pass them in the environment, which step-timing.mjs does).
"""
import argparse
import json
import os
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--threads", type=int, default=0, help="0: torch's default")
parser.add_argument("--steps", type=int, default=300)
parser.add_argument("--warmup", type=int, default=30)
parser.add_argument("--model", choices=["ns-gan", "dcgan"], default="ns-gan")
args = parser.parse_args()

if args.threads > 0:
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

if args.threads > 0:
    torch.set_num_threads(args.threads)
torch.manual_seed(0)
rng = np.random.default_rng(0)

if args.model == "dcgan":
    BATCH, LATENT = 64, 100

    class Gen(nn.Module):
        def __init__(self):
            super().__init__()
            self.project = nn.Linear(LATENT, 7 * 7 * 64, bias=False)
            self.body = nn.Sequential(
                nn.BatchNorm2d(64), nn.ReLU(),
                nn.ConvTranspose2d(64, 32, 4, 2, 1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
                nn.ConvTranspose2d(32, 1, 4, 2, 1), nn.Tanh())

        def forward(self, z):
            return self.body(self.project(z).view(-1, 64, 7, 7))

    G = Gen()
    D = nn.Sequential(
        nn.Conv2d(1, 32, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(32, 64, 4, 2, 1, bias=False), nn.BatchNorm2d(64), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(7 * 7 * 64, 1))
    LR = 2e-4
    real = torch.from_numpy(rng.uniform(-1, 1, (BATCH, 1, 28, 28)).astype(np.float32))

    def data(n):
        return real
else:
    BATCH, LATENT = 256, 64
    LR = 1e-4

    def mlp(sizes):
        layers = []
        for i in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[i], sizes[i + 1]))
            if i + 2 < len(sizes):
                layers.append(nn.ReLU())
        return nn.Sequential(*layers)

    G = mlp([LATENT, 128, 128, 2])
    D = mlp([2, 128, 128, 1])

    def data(n):
        k = rng.integers(0, 8, n)
        a = 2 * np.pi * k / 8
        pts = np.stack([2 * np.cos(a), 2 * np.sin(a)], 1) + 0.05 * rng.standard_normal((n, 2))
        return torch.from_numpy(pts.astype(np.float32))

opt_d = torch.optim.Adam(D.parameters(), lr=LR, betas=(0.5, 0.999))
opt_g = torch.optim.Adam(G.parameters(), lr=LR, betas=(0.5, 0.999))
ones = torch.ones(BATCH, 1)
zeros = torch.zeros(BATCH, 1)


def step():
    x = data(BATCH)
    z = torch.randn(BATCH, LATENT)
    with torch.no_grad():
        fake = G(z)
    opt_d.zero_grad(set_to_none=True)
    loss_d = F.binary_cross_entropy_with_logits(D(x), ones) + F.binary_cross_entropy_with_logits(D(fake), zeros)
    loss_d.backward()
    opt_d.step()

    z = torch.randn(BATCH, LATENT)
    opt_g.zero_grad(set_to_none=True)
    loss_g = F.binary_cross_entropy_with_logits(D(G(z)), ones)
    loss_g.backward()
    opt_g.step()
    return loss_d.item(), loss_g.item()


for _ in range(args.warmup):
    step()
times = []
cpu0 = time.process_time()
for _ in range(args.steps):
    t = time.perf_counter()
    step()
    times.append((time.perf_counter() - t) * 1000)
cpu_ms = (time.process_time() - cpu0) * 1000 / args.steps
times.sort()


def blas_library():
    """Which BLAS the process actually loaded (Debian's torch uses whatever libblas.so.3 resolves to:
    the reference netlib BLAS is ~30x slower than OpenBLAS here)."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and ".so" in line}
        return sorted(libs)
    except OSError:
        return []


print(json.dumps({
    "threads": torch.get_num_threads(),
    "ms_median": times[len(times) // 2],
    "ms_p10": times[len(times) // 10],
    "ms_min": times[0],
    "cpu_ms_per_step": cpu_ms,
    "steps": args.steps,
    "model": args.model,
    "torch": torch.__version__,
    "blas": blas_library(),
}))
sys.stdout.flush()
