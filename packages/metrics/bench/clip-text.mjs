/**
 * CLIP text side timing: tokenizer throughput (5 000 seeded captions) and the text tower at a given
 * shape on seeded weights (64 captions). Usage (after the build):
 *   node bench/clip-text.mjs WIDTH LAYERS EMBED   e.g. 512 12 512 (ViT-B/32, B/16), 768 12 768 (ViT-L/14)
 * Results: docs/tuning/cliptext.md.
 */
import { clipTokenize, createClipTextEncoder } from '@gen-eval/metrics/extract';
import { RandomState } from '@gen-eval/metrics';
const words = ['a', 'photo', 'of', 'cat', 'dog', 'sitting', 'on', 'the', 'red', 'mat', 'café', '東京', '😀', 'running', 'quickly'];
const rng = new RandomState(0);
const caps = Array.from({ length: 5000 }, () => Array.from({ length: 5 + Math.floor(rng.random() * 15) }, () => words[Math.floor(rng.random() * words.length)]).join(' '));
let t = performance.now();
clipTokenize('warm up');
const t0 = performance.now();
for (const c of caps) clipTokenize(c);
console.log(`tokenize: vocab load ${(t0 - t).toFixed(0)} ms, ${caps.length} captions in ${(performance.now() - t0).toFixed(0)} ms`);
const [w, layers, embed] = process.argv.slice(2).map(Number);
const sd = new Map();
const add = (k, s) => sd.set(k, { shape: s, dtype: 'float32', data: Float32Array.from(rng.normals(s.reduce((a, b) => a * b, 1)), (v) => v * 0.02) });
add('token_embedding.weight', [49408, w]);
add('positional_embedding', [77, w]);
add('text_projection', [w, embed]);
add('ln_final.weight', [w]);
add('ln_final.bias', [w]);
for (let i = 0; i < layers; i++) {
  const p = `transformer.resblocks.${i}.`;
  add(p + 'attn.in_proj_weight', [3 * w, w]);
  add(p + 'attn.in_proj_bias', [3 * w]);
  add(p + 'attn.out_proj.weight', [w, w]);
  add(p + 'attn.out_proj.bias', [w]);
  add(p + 'ln_1.weight', [w]);
  add(p + 'ln_1.bias', [w]);
  add(p + 'mlp.c_fc.weight', [4 * w, w]);
  add(p + 'mlp.c_fc.bias', [4 * w]);
  add(p + 'mlp.c_proj.weight', [w, 4 * w]);
  add(p + 'mlp.c_proj.bias', [w]);
  add(p + 'ln_2.weight', [w]);
  add(p + 'ln_2.bias', [w]);
}
t = performance.now();
const enc = await createClipTextEncoder(sd, { threads: 2 });
const t1 = performance.now();
await enc.encode(caps.slice(0, 64));
const t2 = performance.now();
console.log(`text tower width ${w}, ${layers} layers: build+session ${(t1 - t).toFixed(0)} ms, 64 captions ${(t2 - t1).toFixed(0)} ms`);
await enc.dispose();
