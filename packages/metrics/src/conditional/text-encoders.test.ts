import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeNpz, parseNpz, type NpzEntry } from '../io/npz.js';
import { embedTokenIds } from './caption-net.js';
import { loadTextEncoderWeights, parseTextEncoderWeights, TEXT_ENCODER_NAMES, textEncoderFile, textEncoderMetadata, vocabularySha256 } from './text-encoders.js';
import { expectUnitRows, maxAbsDiff, textEncoderGolden } from './text-encoders.test-helper.js';

describe.each(TEXT_ENCODER_NAMES)('%s caption network', (name) => {
  const { weights, metadata } = loadTextEncoderWeights(name);
  const { arrays } = textEncoderGolden(name);

  it("gives torch's caption embeddings for the golden token ids (GRU gates r, z, n; reset gate on W_hn h + b_hn)", () => {
    const ids = arrays.token_ids!;
    const lengths = arrays.lengths!.data as Int32Array;
    const width = ids.shape[1]!;
    const sequences = Array.from(lengths, (len, i) => Array.from((ids.data as Int32Array).subarray(i * width, i * width + len)));
    const got = embedTokenIds(weights.caption, sequences);
    expect(maxAbsDiff(got, arrays.caption_embeddings!.data as Float32Array)).toBeLessThan(1e-5);
    expectUnitRows(got, metadata.dims);
    // a padded id would have been an error: the golden sequences stop at their lengths
    expect(sequences.every((s) => s.every((id) => id >= 0))).toBe(true);
  });

  it('records its base, seed, training half and held-out retrieval next to its sibling', () => {
    expect(metadata.name).toBe(name);
    expect(metadata.dims).toBe(weights.dims);
    expect(metadata.weights_sha256).toBe(weights.sha256);
    expect(metadata.seed).toBe(name.startsWith('text-cond') ? 0 : 1);
    expect(metadata.training_half).toMatch(name.startsWith('text-cond') ? /^A: .*even/ : /^B: .*odd/);
    expect(metadata.retrieval.image_to_caption_correct).toBe(Math.round(metadata.retrieval.image_to_caption_top1 * metadata.retrieval.pairs));
    expect(metadata.sibling?.name).toBe(name.startsWith('text-cond') ? name.replace('cond', 'judge') : name.replace('judge', 'cond'));
  });
});

describe('text encoder weights files', () => {
  const name = TEXT_ENCODER_NAMES[0]!;
  const file = textEncoderFile(`${name}.npz`);
  const bytes = readFileSync(file);
  const arrays = parseNpz(bytes, file);
  const rewrite = (edit: (entries: Record<string, NpzEntry>) => void) => {
    const entries: Record<string, NpzEntry> = {};
    for (const [k, a] of Object.entries(arrays)) entries[k] = { data: a.data as Float32Array, shape: a.shape };
    edit(entries);
    return encodeNpz(entries);
  };
  const oneLine = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      const message = (err as Error).message;
      expect(message).not.toContain('\n');
      return message;
    }
    throw new Error('expected an error');
  };

  it('reads the shipped files with their recorded SHA-256', () => {
    expect(parseTextEncoderWeights(bytes, file, textEncoderMetadata(name).weights_sha256).dims).toBe(64);
  });

  it('names the file and the problem: damaged bytes, a missing tensor, a wrong shape or dtype, not an npz', () => {
    const damaged = Uint8Array.from(bytes);
    damaged[damaged.length - 100]! ^= 1;
    expect(oneLine(() => parseTextEncoderWeights(damaged, file, textEncoderMetadata(name).weights_sha256))).toMatch(
      /^.*text-cond-mnist\.npz: SHA-256 .* differs from the recorded/,
    );
    const missing = rewrite((e) => delete e['caption.gru.weight_hh_l0']);
    expect(oneLine(() => parseTextEncoderWeights(missing, 'x.npz'))).toMatch(/^x\.npz: tensor caption\.gru\.weight_hh_l0 should be float32 \(384, 128\), found none$/);
    const shape = rewrite((e) => (e['image.fc2.weight'] = { data: new Float32Array(32 * 128), shape: [32, 128] }));
    expect(oneLine(() => parseTextEncoderWeights(shape, 'x.npz'))).toMatch(/^x\.npz: tensor image\.fc2\.weight should be float32 \(64, 128\), found <f4 \(32, 128\)$/);
    const dtype = rewrite((e) => (e['norm_std'] = { data: Float64Array.of(0.3), shape: [1] }));
    expect(oneLine(() => parseTextEncoderWeights(dtype, 'x.npz'))).toMatch(/^x\.npz: tensor norm_std should be float32 \(1\), found <f8 \(1\)$/);
    expect(oneLine(() => parseTextEncoderWeights(new Uint8Array(10), 'x.npz'))).toMatch(/^x\.npz: /);
  });

  it('refuses an unknown encoder name, listing the shipped ones', () => {
    expect(oneLine(() => textEncoderMetadata('text-cond-cifar'))).toBe(`unknown text encoder "text-cond-cifar"; expected one of ${TEXT_ENCODER_NAMES.join(', ')}`);
  });

  it('hashes the vocabulary as the training script does (words in id order, one per line)', () => {
    // printf 'a\nb\n' | sha256sum
    expect(vocabularySha256(['a', 'b'])).toBe('911169ddaaf146aff539f58c26c489af3b892dff0fe283c1c264c65ae5aa59a2');
  });
});
