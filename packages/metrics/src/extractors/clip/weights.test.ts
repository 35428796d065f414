import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectGenEvalError } from '../../testing/expect.js';
import { inferClipConfig, parseClipWeights, readClipWeights, type ClipConfig } from './weights.js';

const GOLDEN = new URL('../../../../../fixtures/golden/clip/', import.meta.url).pathname;
const reference = JSON.parse(readFileSync(`${GOLDEN}reference.json`, 'utf8')) as {
  config: Record<string, number>;
  probe: Record<string, number[]>;
};

const expected: ClipConfig = {
  embedDim: reference.config.embed_dim!,
  imageResolution: reference.config.image_resolution!,
  visionLayers: reference.config.vision_layers!,
  visionWidth: reference.config.vision_width!,
  visionPatchSize: reference.config.vision_patch_size!,
  visionHeads: reference.config.vision_width! / 64,
  contextLength: reference.config.context_length!,
  vocabSize: reference.config.vocab_size!,
  transformerWidth: reference.config.transformer_width!,
  transformerHeads: reference.config.transformer_heads!,
  transformerLayers: reference.config.transformer_layers!,
};

describe('CLIP weights', () => {
  const pt = readClipWeights(`${GOLDEN}clip-tiny.pt`);
  const st = readClipWeights(`${GOLDEN}clip-tiny.safetensors`);

  it('infers build_model’s configuration from a TorchScript archive written by torch.jit.save', () => {
    expect(pt.config).toEqual(expected);
  });

  it('reads the Hugging Face safetensors names into the same configuration and tensors', () => {
    expect(st.config).toEqual(expected);
    for (const [name, t] of pt.tensors) {
      if (
        !name.startsWith('visual.') &&
        !name.startsWith('transformer.') &&
        !['positional_embedding', 'token_embedding.weight', 'ln_final.weight', 'ln_final.bias', 'text_projection'].includes(name)
      )
        continue;
      const other = st.tensors.get(name);
      expect(other, name).toBeDefined();
      expect(other!.shape, name).toEqual(t.shape);
      expect(Array.from(other!.data), name).toEqual(Array.from(t.data));
    }
  });

  it('converts fp16 storages to the values torch holds', () => {
    for (const [name, values] of Object.entries(reference.probe)) {
      expect(Array.from(pt.tensors.get(name)!.data.subarray(0, 4)), name).toEqual(values);
    }
    expect(pt.tensors.get('visual.conv1.weight')!.dtype).toBe('float16');
  });

  it('refuses ResNet CLIPs, incomplete checkpoints and other files in one line', () => {
    const resnet = new Map(pt.tensors);
    resnet.delete('visual.proj');
    resnet.set('visual.layer1.0.conv1.weight', { shape: [1], dtype: 'float32', data: new Float32Array(1) });
    const bytes = readFileSync(`${GOLDEN}clip-tiny.safetensors`);
    expectGenEvalError(() => inferClipConfig(resnet, 'RN50.pt'), { path: 'RN50.pt', message: /ResNet CLIP/ });
    const noText = new Map(pt.tensors);
    noText.delete('transformer.resblocks.0.mlp.c_fc.bias');
    expectGenEvalError(() => inferClipConfig(noText, 'a.pt'), { path: 'a.pt', message: /transformer\.resblocks\.0\.mlp\.c_fc\.bias" is missing/ });
    expectGenEvalError(() => parseClipWeights(new Uint8Array(8), 'x.safetensors'), {
      path: 'x.safetensors',
      message: /not a CLIP checkpoint \(neither an OpenAI \.pt zip archive nor a Hugging Face \.safetensors file\)$/,
    });
    expectGenEvalError(() => parseClipWeights(bytes.subarray(0, bytes.length - 100), 'cut.safetensors'), { path: 'cut.safetensors', message: /past the end/ });
    expectGenEvalError(() => parseClipWeights(new TextEncoder().encode('hello world, not weights'), 'w.txt'), { path: 'w.txt', message: /not a CLIP checkpoint/ });
    const badJson = new Uint8Array(16);
    new DataView(badJson.buffer).setBigUint64(0, 4n, true);
    badJson.set(new TextEncoder().encode('{ x '), 8);
    expectGenEvalError(() => parseClipWeights(badJson, 'h.safetensors'), { path: 'h.safetensors', message: /not a safetensors file \(the header is not JSON\)/ });
  });
});
