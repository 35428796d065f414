import { describe, expect, it } from 'vitest';
import { encodeLegacyPth } from '../torch/pth-writer.js';
import { DINOV2_ARCHS } from './architecture.js';
import { syntheticDinov2StateDict } from './synthetic.js';
import { parseDinov2Weights } from './weights.js';

const small = () => syntheticDinov2StateDict(DINOV2_ARCHS.vits14, 1, 3);

describe('parseDinov2Weights', () => {
  it('infers the size and depth', () => {
    const w = parseDinov2Weights(encodeLegacyPth(small()), 'w.pth');
    expect([w.arch.size, w.depth, w.sha256.length]).toEqual(['vits14', 1, 64]);
  });

  it('names the tensor and both shapes when one is wrong', () => {
    const sd = small();
    sd.set('blocks.0.attn.proj.weight', { shape: [384, 383], dtype: 'float32', data: new Float32Array(384 * 383) });
    expect(() => parseDinov2Weights(encodeLegacyPth(sd), 'w.pth')).toThrow('w.pth: weight "blocks.0.attn.proj.weight" has shape [384, 383], expected [384, 384] (DINOv2 vits14)');
  });

  it('names a missing tensor, an unknown width and a size mismatch', () => {
    const sd = small();
    sd.delete('norm.bias');
    expect(() => parseDinov2Weights(encodeLegacyPth(sd), 'w.pth')).toThrow('missing weight "norm.bias"');
    const odd = small();
    odd.set('cls_token', { shape: [1, 1, 100], dtype: 'float32', data: new Float32Array(100) });
    expect(() => parseDinov2Weights(encodeLegacyPth(odd), 'w.pth')).toThrow(/width 100 is none of/);
    expect(() => parseDinov2Weights(encodeLegacyPth(small()), 'w.pth', 'vitl14')).toThrow(/holds DINOv2 vits14 weights .* expected vitl14/);
  });

  it('rejects a truncated file', () => {
    const bytes = encodeLegacyPth(small());
    expect(() => parseDinov2Weights(bytes.subarray(0, bytes.length - 1000), 'w.pth')).toThrow(/w\.pth/);
  });
});
