/**
 * Compares one training step (ns-gan 2-D, or `--model dcgan`: DCGAN 28×28, batch 64): tfjs-wasm (with installTrainingFixes) against PyTorch CPU
 * with one thread and with its best thread count, measured in the same run and interleaved
 * (rounds of tfjs, torch 1, torch N) so that other load on the machine hits all of them alike.
 *
 * Usage: node bench/step-compare.mjs [--rounds 3] [--steps 200] [--model ns-gan|dcgan]
 * Build first: npx tsc -p tsconfig.build.json. Set TORCH_BLAS_DIR to an OpenBLAS directory when
 * Debian's torch would otherwise load the reference BLAS (see step-timing.mjs).
 */
import { availableParallelism } from 'node:os';
import { selectBackend } from '../dist/backend.js';
import { timeDcganStep, timeNsGanStep, torchStep } from './step-timing.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const mi = process.argv.indexOf('--model');
const model = mi >= 0 ? process.argv[mi + 1] : 'ns-gan';
if (model !== 'ns-gan' && model !== 'dcgan') throw new Error(`--model must be ns-gan or dcgan, got ${model}`);
const dcgan = model === 'dcgan';
const rounds = arg('rounds', 3);
const steps = arg('steps', dcgan ? 20 : 200);

const { tf, backend } = await selectBackend(['wasm']);
const threadCounts = [...new Set([1, availableParallelism()])];
const best = (xs, key) => Math.min(...xs.map((x) => x[key]));
const wasm = [];
const wasmTensorOnly = [];
const torch = new Map(threadCounts.map((t) => [t, []]));
for (let r = 0; r < rounds; r++) {
  if (dcgan) {
    const res = await timeDcganStep(tf, { steps, warmup: 3 });
    wasm.push(res);
    wasmTensorOnly.push(res); // noise is drawn on the JS side here too; see rngMsPerStep
  } else {
    wasm.push(await timeNsGanStep(tf, { steps, warmup: 20 }));
    wasmTensorOnly.push(await timeNsGanStep(tf, { steps, warmup: 20, drawOnJs: false }));
  }
  for (const t of threadCounts) {
    const res = dcgan ? torchStep(t, { steps: Math.max(steps, 50), warmup: 5, model }) : torchStep(t, { steps: Math.max(steps, 300), warmup: 30 });
    if (res) torch.get(t).push(res);
  }
}

const w = { median: best(wasm, 'msMedian'), p10: best(wasm, 'msP10'), cpu: best(wasm, 'cpuMsPerStep') };
const wt = { median: best(wasmTensorOnly, 'msMedian'), cpu: best(wasmTensorOnly, 'cpuMsPerStep') };
console.log(
  `${model} step — tfjs ${backend} (${wasm[0].optimizer}): median ${w.median.toFixed(2)} ms, p10 ${w.p10.toFixed(2)} ms, CPU ${w.cpu.toFixed(2)} ms/step` +
    ` (of which JS-side noise/data draws ${best(wasm, 'rngMsPerStep').toFixed(2)} ms); tensor work only: median ${wt.median.toFixed(2)} ms, CPU ${wt.cpu.toFixed(2)} ms`,
);
const summary = { model, wasm: w, wasmTensorOnly: wt, torch: {} };
for (const [t, runs] of torch) {
  if (runs.length === 0) {
    console.log(`torch ${t} thread(s): unavailable`);
    continue;
  }
  const s = { median: best(runs, 'ms_median'), p10: best(runs, 'ms_p10'), cpu: best(runs, 'cpu_ms_per_step'), blas: runs[0].blas };
  summary.torch[t] = s;
  console.log(`torch ${t} thread(s): median ${s.median.toFixed(2)} ms, p10 ${s.p10.toFixed(2)} ms, CPU ${s.cpu.toFixed(2)} ms/step; BLAS ${s.blas.join(', ') || '?'}`);
}
const t1 = summary.torch[1];
if (t1) {
  const bestTorch = Math.min(...Object.values(summary.torch).map((s) => s.median));
  summary.ratioTorch1 = w.median / t1.median;
  summary.ratioTorchBest = w.median / bestTorch;
  summary.ratioCpuTorch1 = w.cpu / t1.cpu;
  console.log(`tfjs-wasm / torch 1 thread: ${summary.ratioTorch1.toFixed(2)}× (median wall), ${summary.ratioCpuTorch1.toFixed(2)}× (CPU time per step)`);
  console.log(`tfjs-wasm / torch best (${bestTorch.toFixed(2)} ms): ${summary.ratioTorchBest.toFixed(2)}×`);
}
console.log(JSON.stringify(summary));
