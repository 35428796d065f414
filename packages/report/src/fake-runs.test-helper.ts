/**
 * Small hand-written run directories for the report's tests (the run format of
 * docs/run-format.md): a few evaluations of metrics.jsonl, samples/step-N.npy drawn from the
 * ring-easy mixture (all modes, or a collapsed subset), summary.json, optional PNG samples.
 * Training a real model would take minutes; this takes milliseconds.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { ringMixture, sampleMixture, writeNpy } from '@gen-eval/metrics';
import { runPaths } from '@gen-eval/metrics/runs';

export interface FakeRunOptions {
  readonly model: string;
  readonly data?: string;
  readonly seed?: number;
  /** Evaluation steps (default 250, 500, 750, 1000). */
  readonly steps?: readonly number[];
  /** Modes the generator covers at the end (default all 8). */
  readonly modes?: readonly number[];
  readonly evalSamples?: number;
  /** Write summary.json (default true). */
  readonly summary?: boolean;
  /** Write this many 8×8 PNG samples under samples/. */
  readonly pngs?: number;
  /** Replace metrics.jsonl line `line` (1-based) with garbage. */
  readonly corruptLine?: number;
  /**
   * The last evaluation blows up as a diverged model's does: every sample point NaN, sliced_w
   * written as 1e999 (+∞), mmd as null (NaN), and summary.json's `diverged` set to this.
   */
  readonly diverged?: { readonly step: number; readonly reason: string };
  /** config.json's `metrics`: the losses the run declares (default: none, as runs of older versions). */
  readonly declared?: unknown;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A tiny RGB PNG (a colour gradient), enough for an <img> to have a size. */
export function tinyPng(size: number, hue: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const raw = Buffer.alloc(size * (1 + 3 * size));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) raw.set([(hue * 37) % 256, (x * 255) / size, (y * 255) / size], y * (1 + 3 * size) + 1 + 3 * x);
  }
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** Writes a fake run directory at `dir` and returns it. */
export function writeFakeRun(dir: string, o: FakeRunOptions): string {
  const data = o.data ?? 'ring-easy';
  const seed = o.seed ?? 0;
  const steps = o.steps ?? [250, 500, 750, 1000];
  const modes = o.modes ?? [0, 1, 2, 3, 4, 5, 6, 7];
  const evalSamples = o.evalSamples ?? 400;
  const mix = ringMixture({ radius: 2, sigma: 0.05 });
  mkdirSync(join(dir, 'samples'), { recursive: true });
  const config = {
    format: 'gen-eval-run',
    version: 1,
    model: o.model,
    title: `${o.model} (fake)`,
    data: { name: data },
    hp: { batchSize: 64, lr: 1e-3 },
    seed,
    steps: steps[steps.length - 1],
    timeBudget: null,
    evalEvery: steps[0],
    evalSamples,
    backend: { requested: 'auto', choice: 'cpu', skipped: [] },
    versions: { 'gen-eval': '0.1.0', node: process.version },
    created: '2026-01-01T00:00:00.000Z',
    ...(o.declared !== undefined ? { metrics: o.declared } : {}),
  };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config, null, 2));
  const lines: string[] = [];
  let last: Record<string, number> = {};
  steps.forEach((step, i) => {
    const t = (i + 1) / steps.length;
    // Early evaluations are blurry (σ × 4) and cover fewer modes; the last covers `modes`.
    const used = modes.slice(0, Math.max(1, Math.round(t * modes.length)));
    const pts = sampleMixture(mix, evalSamples, seed * 1000 + i, { modes: used, sigmaScale: 1 + 3 * (1 - t) });
    const blownUp = o.diverged !== undefined && i === steps.length - 1;
    const xy = blownUp ? new Float32Array(2 * evalSamples).fill(NaN) : new Float32Array(pts.data);
    writeNpy(runPaths(dir).sample(step), xy, [evalSamples, 2]);
    last = {
      d_loss: 1.4 - 0.2 * t + 0.01 * seed,
      g_loss: 0.6 + 0.3 * t,
      modes_covered: used.length,
      high_quality: 0.5 + 0.45 * t,
      reverse_kl: Math.log(8 / used.length) + 0.01,
      sliced_w: 0.5 * (1 - t) + 0.02 * (8 - used.length) + 0.01,
      mmd: 0.1 * (1 - t) + 0.001 * (seed + 1),
    };
    if (blownUp) Object.assign(last, { sliced_w: Infinity, mmd: NaN, d_loss: NaN });
    for (const [metric, value] of Object.entries(last)) {
      // JSON has no ∞: 1e999 is how a hand-written (or foreign) file spells it, and JSON.parse reads it back as Infinity.
      const v = value === Infinity ? '1e999' : JSON.stringify(value);
      lines.push(`{"step":${step},"elapsed":${step / 100},"metric":${JSON.stringify(metric)},"value":${v}}`);
    }
  });
  if (o.corruptLine !== undefined) lines[o.corruptLine - 1] = '{"step": 250, "elapsed": 2.5, "metric": "d_loss", "value": ';
  writeFileSync(join(dir, 'metrics.jsonl'), `${lines.join('\n')}\n`);
  const lastStep = steps[steps.length - 1]!;
  if (o.summary ?? true) {
    const summary = {
      model: o.model,
      data,
      backend: 'cpu',
      steps: lastStep,
      wall_seconds: lastStep / 100,
      steps_per_second: 100,
      eval_seconds: 1.5,
      metrics: last,
      interrupted: false,
      ...(o.diverged ? { diverged: o.diverged } : {}),
    };
    writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary, null, 2));
  }
  for (let i = 0; i < (o.pngs ?? 0); i++) writeFileSync(join(dir, 'samples', `image-${String(i).padStart(3, '0')}.png`), tinyPng(8, i));
  return dir;
}

/** A `gen-eval eval --json`-shaped result file. */
export function writeFakeResult(path: string, o: { fid: number; kid?: number; extractor?: string; profile?: string; n?: number }): string {
  const n = o.n ?? 1000;
  const src = (p: string) => ({ path: p, kind: 'images', n, extractor: o.extractor ?? 'inception', profile: o.profile ?? 'clean', fromCache: false });
  const result = {
    fid: o.fid,
    kid_mean: o.kid ?? 0.01,
    kid_std: 0.001,
    metrics: ['fid', 'kid'],
    details: { kid: { subsets: 100, subsetSize: 1000, seed: 0 } },
    inputs: [src('real/'), src('fake/')],
    warnings: [],
  };
  writeFileSync(path, JSON.stringify(result));
  return path;
}
