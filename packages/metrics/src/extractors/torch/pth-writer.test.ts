import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unpickle } from './pickle.js';
import { detectTorchFormat, parseTorchStateDict } from './pth-reader.js';
import { encodeLegacyPth, type WritableTensor } from './pth-writer.js';

const GOLDEN = new URL('../../../../../fixtures/golden/inception/', import.meta.url).pathname;

describe('legacy .pth writer', () => {
  const torchFile = readFileSync(join(GOLDEN, 'small-legacy.pth'));
  const fromTorch = parseTorchStateDict(torchFile, 'small-legacy.pth');
  const convWeight = fromTorch.get('conv.weight')!;
  const counter = fromTorch.get('bn.num_batches_tracked')!;

  it('writes the same header pickles and storage layout as torch.save(..., _use_new_zipfile_serialization=False)', () => {
    const ours = encodeLegacyPth(new Map([['conv.weight', convWeight]]));
    expect(detectTorchFormat(ours)).toBe('legacy');
    // Magic number and protocol version pickles are byte-identical to torch's.
    const ourMagic = unpickle(ours, 'ours').end;
    const torchMagic = unpickle(torchFile, 'torch').end;
    expect(ourMagic).toBe(torchMagic);
    const ourProto = unpickle(ours, 'ours', undefined, ourMagic).end;
    expect(Buffer.from(ours.subarray(0, ourProto)).equals(torchFile.subarray(0, ourProto))).toBe(true);
    // The storage section: int64 element count, then the raw little-endian floats, exactly as torch wrote them.
    const section = Buffer.concat([Buffer.from(BigInt64Array.of(24n).buffer), Buffer.from(convWeight.data.buffer)]);
    expect(Buffer.from(ours.subarray(ours.length - section.length)).equals(section)).toBe(true);
    expect(torchFile.includes(section)).toBe(true);
  });

  it('round-trips through the reader, float32 and int64 counters alike', () => {
    const sd = parseTorchStateDict(
      encodeLegacyPth(
        new Map([
          ['conv.weight', convWeight],
          ['bn.num_batches_tracked', counter],
        ]),
      ),
      'ours.pth',
    );
    expect(sd.get('conv.weight')).toEqual(convWeight);
    expect(sd.get('bn.num_batches_tracked')).toEqual({ shape: [], dtype: 'int64', data: Float32Array.of(7) });
  });

  it('round-trips any float32 state dict (property)', () => {
    const tensor = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }).chain((shape) => {
      const n = shape.reduce((a, b) => a * b, 1);
      return fc.float32Array({ minLength: n, maxLength: n, noDefaultInfinity: false }).map((data): WritableTensor => ({ shape, data }));
    });
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), tensor), { selector: (e) => e[0], maxLength: 6 }), (entries) => {
        const sd = parseTorchStateDict(encodeLegacyPth(new Map(entries)), 'prop.pth');
        expect([...sd.keys()]).toEqual(entries.map((e) => e[0]));
        for (const [k, t] of entries) {
          const got = sd.get(k)!;
          expect(got.shape).toEqual(t.shape);
          expect(Buffer.from(got.data.buffer, got.data.byteOffset, got.data.byteLength).equals(Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength))).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('refuses data that does not fit the shape', () => {
    expect(() => encodeLegacyPth(new Map([['w', { shape: [2, 2], data: new Float32Array(3) }]]))).toThrow(expect.objectContaining({ name: 'GenEvalError', code: 'bad_input' }));
  });
});
