import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clipScore, matrix, RandomState } from '@gen-eval/metrics';
import { createClipTextEncoder, type StateDict } from '@gen-eval/metrics/extract';
import { tempDir } from './golden-cli.js';
import { cliInProcess } from './cli-in-process.js';
import { tinyExtractorArgs } from './tiny-extractor.js';

const dir = tempDir('gen-eval-clip-score-');
const images = join(import.meta.dirname, '../../../fixtures/e2e-images/a');

/** Tensor shapes of a one-block CLIP (width 64, 8-dim embeddings like the tiny image extractor, OpenAI's vocabulary). */
function clipShapes(): [string, number[]][] {
  const w = 64;
  const block = (p: string): [string, number[]][] => [
    [`${p}attn.in_proj_weight`, [3 * w, w]],
    [`${p}attn.in_proj_bias`, [3 * w]],
    [`${p}attn.out_proj.weight`, [w, w]],
    [`${p}attn.out_proj.bias`, [w]],
    [`${p}ln_1.weight`, [w]],
    [`${p}ln_1.bias`, [w]],
    [`${p}mlp.c_fc.weight`, [4 * w, w]],
    [`${p}mlp.c_fc.bias`, [4 * w]],
    [`${p}mlp.c_proj.weight`, [w, 4 * w]],
    [`${p}mlp.c_proj.bias`, [w]],
    [`${p}ln_2.weight`, [w]],
    [`${p}ln_2.bias`, [w]],
  ];
  return [
    ['visual.conv1.weight', [w, 3, 16, 16]],
    ['visual.class_embedding', [w]],
    ['visual.positional_embedding', [5, w]],
    ['visual.ln_pre.weight', [w]],
    ['visual.ln_pre.bias', [w]],
    ['visual.ln_post.weight', [w]],
    ['visual.ln_post.bias', [w]],
    ['visual.proj', [w, 8]],
    ...block('visual.transformer.resblocks.0.'),
    ['token_embedding.weight', [49408, w]],
    ['positional_embedding', [77, w]],
    ['ln_final.weight', [w]],
    ['ln_final.bias', [w]],
    ['text_projection', [w, 8]],
    ...block('transformer.resblocks.0.'),
  ];
}

/** Seeded tensors in OpenAI's names, and the same as a `.safetensors` file. */
function tinyClip(): { tensors: StateDict; bytes: Uint8Array } {
  const rng = new RandomState(3);
  const tensors: StateDict = new Map();
  const header: Record<string, unknown> = {};
  let offset = 0;
  for (const [k, shape] of clipShapes()) {
    const data = Float32Array.from(rng.normals(shape.reduce((a, b) => a * b, 1)), (v) => v * 0.1);
    tensors.set(k, { shape, dtype: 'float32', data });
    header[k] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + offset);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  let at = 8 + json.length;
  for (const t of tensors.values()) {
    bytes.set(new Uint8Array(t.data.buffer), at);
    at += t.data.byteLength;
  }
  return { tensors, bytes };
}

const clip = tinyClip();
const weights = join(dir, 'clip.safetensors');
writeFileSync(weights, clip.bytes);
const captions = ['a red square', 'a photo', 'a large image', 'a tall picture', 'another photo', 'wide '.repeat(90)];
const lines = join(dir, 'captions.txt');
writeFileSync(lines, captions.join('\n') + '\n');

describe('gen-eval clip-score', () => {
  it('scores each image against its caption with one checkpoint’s two towers, warning about the truncated caption', async () => {
    const r = await cliInProcess('clip-score', images, '--captions', lines, '--weights', weights, '--per-image', '--json', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.n).toBe(6);
    expect(out.extractor).toMatch(/^clip@[0-9a-f]{8}:ViT-L\/14@336px$/);
    expect(out.truncated).toBe(1);
    expect(out.warnings).toEqual([expect.stringMatching(/captions\.txt: the caption of a5-wide-120x48\.jpg has 90 tokens; truncated to 75/)]);
    expect(r.stderr).toMatch(/truncated to 75/);
    expect(out.per_image.map((p: { file: string }) => p.file)).toEqual([
      'a0-rgb-64.png',
      'a1-photo-160x120.jpg',
      'a2-rgb-299.png',
      'a3-tall-40x90.png',
      'a4-photo-333x250.jpg',
      'a5-wide-120x48.jpg',
    ]);
    // The same numbers from the clip extractor's features of the folder and the text encoder.
    const feats = await cliInProcess('features', images, '--extractor', 'clip', '--weights', weights, '-o', join(dir, 'f.npy'), '--json', '--quiet');
    expect(feats.code, feats.stderr).toBe(0);
    const { readNpy } = await import('@gen-eval/metrics');
    const f = readNpy(join(dir, 'f.npy'));
    const enc = await createClipTextEncoder(clip.tensors);
    const text = await enc.encode(captions);
    await enc.dispose();
    const ref = clipScore(matrix(Float64Array.from(f.data as Float32Array), 6, 8), matrix(Float64Array.from(text.embeddings), 6, 8));
    expect(out.clip_score).toBeCloseTo(ref.value, 5);
    out.per_image.forEach((p: { clip_score: number }, i: number) => expect(p.clip_score).toBeCloseTo(ref.perPair[i]!, 5));
    // --text-weights names the text tower's checkpoint explicitly: the same file, the same score.
    const t = await cliInProcess('clip-score', images, '--captions', lines, '--weights', weights, '--text-weights', weights, '--json', '--quiet');
    expect(t.code, t.stderr).toBe(0);
    expect(JSON.parse(t.stdout).clip_score).toBe(out.clip_score);
  });

  it('refuses a caption count mismatch and a network outside CLIP space with exit 2', async () => {
    const short = join(dir, 'short.txt');
    writeFileSync(short, 'one\ntwo\n');
    const r = await cliInProcess('clip-score', images, '--captions', short, '--weights', weights);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/short\.txt: has 2 caption lines for 6 images/);
    const m = await cliInProcess('clip-score', images, '--captions', lines, '--text-weights', weights, ...tinyExtractorArgs(dir));
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/CLIP score is computed on CLIP image embeddings; use clip or clip:<model>/);
  });
});
