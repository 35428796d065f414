/**
 * Timing of ONE ns-gan training step of the default 2-D architecture, in tfjs and in PyTorch,
 * the same step on both sides (see bench/torch_step.py for the PyTorch one):
 *   G = MLP 64 → 128 → 128 → 2 (ReLU), D = MLP 2 → 128 → 128 → 1 (ReLU), batch 256,
 *   Adam lr 1e-4, β (0.5, 0.999);
 *   D step: x ~ ring-easy (8 Gaussians, radius 2, σ 0.05), z ~ N(0, I), fake = G(z) off the tape,
 *           loss = mean softplus(−D(x)) + mean softplus(D(fake))   (= BCE-with-logits vs 1 / 0);
 *   G step: fresh z, loss = mean softplus(−D(G(z)))                  (non-saturating);
 *   both losses read back (dataSync), as the training loop does.
 * This is what src/families/ns-gan.ts does with the helpers of families/model-state.ts and tensors.ts (Mlp, our Adam,
 * noise and data drawn from our Rng on the JS side).
 *
 * Needs the built package: `npx tsc -p packages/models/tsconfig.build.json`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installTrainingFixes } from '../dist/tfjs/training-fixes.js';
import { Mlp } from '../dist/nn/mlp.js';
import { Rng } from '../dist/rng.js';
import { Adam } from '../dist/nn/optimizers.js';
import { ConvDiscriminator, ConvGenerator } from '../dist/nn/dcgan.js';

const here = dirname(fileURLToPath(import.meta.url));

/** n ring-easy points: mode k ~ U{0..7} at angle 2πk/8 on radius 2, plus N(0, 0.05²) noise. */
function ringEasy(rng, n) {
  const out = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * rng.int(8)) / 8;
    out[2 * i] = 2 * Math.cos(a) + 0.05 * rng.normal();
    out[2 * i + 1] = 2 * Math.sin(a) + 0.05 * rng.normal();
  }
  return out;
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Runs `warmup` untimed steps, then times `steps` steps. `step` returns the milliseconds it spent
 * drawing random numbers on the JS side. Returns the result fields of timeNsGanStep.
 */
function timeSteps(tf, step, steps, warmup) {
  for (let i = 0; i < warmup; i++) step();
  let rngMs = 0;
  const times = [];
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    rngMs += step();
    times.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  return {
    msMedian: quantile(times, 0.5),
    msP10: quantile(times, 0.1),
    msMin: times[0],
    cpuMsPerStep: (cpu.user + cpu.system) / 1000 / steps,
    rngMsPerStep: rngMs / steps,
    steps,
    backend: tf.getBackend(),
    optimizer: 'project Adam (src/nn/optimizers.ts)',
  };
}

/**
 * Times the ns-gan step in tfjs on the active backend (installs the training fixes first).
 * @param tf the tfjs namespace, backend already selected.
 * @param opts.steps timed steps (default 200); opts.warmup untimed steps first (default 20);
 *   opts.drawOnJs false to reuse fixed noise/data tensors (isolates the tensor work from our Rng);
 * @returns {Promise<{msMedian:number, msP10:number, msMin:number, cpuMsPerStep:number, steps:number,
 *   backend:string, optimizer:string, rngMsPerStep:number}>} wall-clock median / p10 / min per step,
 *   process CPU time per step (robust when other processes share the cores), and the part of a
 *   step spent drawing noise and data on the JS side.
 */
export async function timeNsGanStep(tf, { steps = 200, warmup = 20, drawOnJs = true } = {}) {
  installTrainingFixes(tf);
  const n = 256;
  const latent = 64;
  const init = new Rng(1234);
  const G = new Mlp(tf, init, [latent, 128, 128, 2]);
  const D = new Mlp(tf, init, [2, 128, 128, 1]);
  const optD = new Adam(tf, 1e-4, 0.5, 0.999);
  const optG = new Adam(tf, 1e-4, 0.5, 0.999);
  const fixed = drawOnJs ? null : { x: tf.tensor2d(ringEasy(new Rng(1), n), [n, 2]), z1: tf.randomNormal([n, latent]), z2: tf.randomNormal([n, latent]) };
  let k = 0;

  /** One step; returns the milliseconds it spent drawing noise and data on the JS side. */
  const step = () => {
    const rng = Rng.stream(1234, 'bench', k++);
    const t0 = performance.now();
    const xs = drawOnJs ? ringEasy(rng, n) : null;
    const z1s = drawOnJs ? rng.normals(n * latent) : null;
    const z2s = drawOnJs ? rng.normals(n * latent) : null;
    const rngMs = performance.now() - t0;
    const dLoss = tf.tidy(() => {
      const x = fixed ? fixed.x : tf.tensor2d(xs, [n, 2]);
      const fake = G.apply(fixed ? fixed.z1 : tf.tensor2d(z1s, [n, latent]));
      return optD.minimize(() => tf.add(tf.mean(tf.softplus(tf.neg(D.apply(x)))), tf.mean(tf.softplus(D.apply(fake)))), true, D.trainable());
    });
    const gLoss = tf.tidy(() => {
      const z = fixed ? fixed.z2 : tf.tensor2d(z2s, [n, latent]);
      return optG.minimize(() => tf.mean(tf.softplus(tf.neg(D.apply(G.apply(z))))), true, G.trainable());
    });
    // Both losses read back, as the training loop does.
    dLoss.dataSync();
    gLoss.dataSync();
    dLoss.dispose();
    gLoss.dispose();
    return rngMs;
  };

  const result = timeSteps(tf, step, steps, warmup);
  for (const v of [...G.trainable(), ...D.trainable()]) v.dispose();
  for (const o of [optD, optG]) o.dispose();
  if (fixed) tf.dispose([fixed.x, fixed.z1, fixed.z2]);
  return result;
}

/**
 * Times one DCGAN 28×28 step (the `--model dcgan` step of torch_step.py): batch 64, z ∈ R^100,
 * G = dense → 7×7×64 → BN → ReLU → ConvT 4/2/1 → 14×14×32 → BN → ReLU → ConvT → 28×28×1 → tanh,
 * D = Conv 4/2/1 → 14×14×32 → LReLU → Conv → 7×7×64 → BN → LReLU → dense → 1 (nn/dcgan.ts),
 * Adam 2e-4 β (0.5, 0.999), the ns-gan losses; real images are fixed uniform noise (the time
 * does not depend on the data). Same result fields as timeNsGanStep.
 */
export async function timeDcganStep(tf, { steps = 20, warmup = 3 } = {}) {
  installTrainingFixes(tf);
  const n = 64;
  const latent = 100;
  const init = new Rng(1234);
  const G = new ConvGenerator(tf, init, { latentDim: latent, size: 28, channels: 1, width: 32 });
  const D = new ConvDiscriminator(tf, init, { size: 28, channels: 1, width: 32, norm: 'batch' });
  const optD = new Adam(tf, 2e-4, 0.5, 0.999);
  const optG = new Adam(tf, 2e-4, 0.5, 0.999);
  const real = tf.tensor4d(new Rng(1).uniforms(n * 28 * 28, -1, 1), [n, 28, 28, 1]);
  let k = 0;
  const step = () => {
    const rng = Rng.stream(1234, 'bench', k++);
    const t0 = performance.now();
    const z1s = rng.normals(n * latent);
    const z2s = rng.normals(n * latent);
    const rngMs = performance.now() - t0;
    const dLoss = tf.tidy(() => {
      const fake = G.apply(tf.tensor2d(z1s, [n, latent]));
      return optD.minimize(() => tf.add(tf.mean(tf.softplus(tf.neg(D.apply(real)))), tf.mean(tf.softplus(D.apply(fake)))), true, D.trainable());
    });
    const gLoss = tf.tidy(() => optG.minimize(() => tf.mean(tf.softplus(tf.neg(D.apply(G.apply(tf.tensor2d(z2s, [n, latent])))))), true, G.trainable()));
    dLoss.dataSync();
    gLoss.dataSync();
    tf.dispose([dLoss, gLoss]);
    return rngMs;
  };
  const result = timeSteps(tf, step, steps, warmup);
  G.dispose();
  D.dispose();
  optD.dispose();
  optG.dispose();
  real.dispose();
  return result;
}

/** A Python that can import torch: $TORCH_PYTHON, then python3 on the PATH, then Debian's. */
function torchPython() {
  const candidates = [process.env.TORCH_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean);
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return null;
}

/**
 * Runs bench/torch_step.py and returns its JSON ({threads, ms_median, ms_p10, cpu_ms_per_step,
 * blas, …}), or null when no Python with torch is found or the run fails.
 * @param threads torch threads; also set as OMP/OPENBLAS/MKL_NUM_THREADS in the child's
 *   environment, because torch.set_num_threads alone leaves OpenBLAS on its own pool.
 * @param opts.steps, opts.warmup, opts.model ('ns-gan' or 'dcgan') passed through. $TORCH_BLAS_DIR, when set, is put first on
 *   LD_LIBRARY_PATH (Debian's torch takes whatever libblas.so.3 resolves to; the reference
 *   netlib BLAS is ~30× slower than OpenBLAS).
 */
export function torchStep(threads, { steps = 300, warmup = 30, model = 'ns-gan' } = {}) {
  const py = torchPython();
  if (!py) return null;
  const env = { ...process.env };
  if (threads > 0) for (const v of ['OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS']) env[v] = String(threads);
  if (process.env.TORCH_BLAS_DIR && existsSync(process.env.TORCH_BLAS_DIR)) {
    env.LD_LIBRARY_PATH = [process.env.TORCH_BLAS_DIR, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  }
  const r = spawnSync(py, [join(here, 'torch_step.py'), '--threads', String(threads), '--steps', String(steps), '--warmup', String(warmup), '--model', model], {
    env,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (r.status !== 0) return null;
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    return null;
  }
}

/**
 * Median milliseconds of one PyTorch CPU ns-gan step with `threads` threads, or null when torch
 * is missing (see torchStep for the details).
 */
export async function torchStepMs(threads) {
  const r = torchStep(threads);
  return r ? r.ms_median : null;
}
