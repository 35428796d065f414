import { describe, expect, it } from 'vitest';
import { featureSpaceOf, featureSpaceOfInputs, frechetName, isInceptionSpace, networkOf, weightsHashOf } from './feature-space.js';
import { metricSpec } from './metric-table.js';
import type { LoadedInput } from './pipeline/load-input.js';

describe('feature spaces', () => {
  it('reads the network and the weights hash from an extractor name', () => {
    expect(featureSpaceOf('dinov2@0f1e2d3c:vitl14', 'dgm-eval')).toEqual({
      extractor: 'dinov2@0f1e2d3c:vitl14',
      network: 'dinov2',
      weights_sha256: '0f1e2d3c',
      profile: 'dgm-eval',
    });
    expect(featureSpaceOf('onnx@1a2b3c4d:224x224:nchw:imagenet:features')).toMatchObject({ network: 'onnx', weights_sha256: '1a2b3c4d' });
    expect(weightsHashOf('pt_inception-2015-12-05-6726825d.pth')).toBe('6726825d');
    expect(weightsHashOf('mobilenet')).toBeUndefined();
    expect(networkOf('clip@3035c92b:ViT-L/14@336px')).toBe('clip');
    expect(isInceptionSpace('inception@6726825d:2048')).toBe(true);
    expect(isInceptionSpace('inceptionish@6726825d')).toBe(false);
  });

  it('names a Fréchet distance FID in Inception space only, else from the extractor’s name', () => {
    expect(frechetName('inception@6726825d:2048')).toBe('FID');
    expect(frechetName(undefined)).toBe('FID');
    expect(frechetName('dinov2@0f1e2d3c:vitl14')).toBe('FD in dinov2@0f1e2d3c:vitl14 space (FD-dinov2, not Inception FID)');
    expect(frechetName('mnist@12345678:128')).toMatch(/^FD in mnist@12345678:128 space \(FD-mnist, not Inception FID\)$/);
  });

  it('of loaded inputs: the first image input’s, none for feature files', () => {
    const features = { kind: 'features', path: 'a.npy' } as unknown as LoadedInput;
    const images = { kind: 'images', path: 'b/', set: { extractor: 'dinov2@0f1e2d3c:vitl14', profile: { name: 'clean' } } } as unknown as LoadedInput;
    expect(featureSpaceOfInputs([features, features])).toBeUndefined();
    expect(featureSpaceOfInputs([features, images])).toEqual(featureSpaceOf('dinov2@0f1e2d3c:vitl14', 'clean'));
  });

  it('the metric table knows CMMD (lower is better) and the CLIP score (higher, 0–100)', () => {
    expect(metricSpec('cmmd')).toMatchObject({ direction: 'lower', kind: 'quality', range: [0, Infinity] });
    expect(metricSpec('clip_score')).toMatchObject({ direction: 'higher', kind: 'quality', range: [0, 100] });
  });
});
