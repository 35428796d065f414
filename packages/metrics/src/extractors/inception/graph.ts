/**
 * Builds the FID Inception as an ONNX graph from a validated state dict.
 *
 * BatchNorm is folded into each convolution (W' = W·s, b' = β − μ·s with s = γ/√(σ²+0.001),
 * computed in float64 and rounded once to float32): one Conv+Relu per BasicConv2d instead of
 * Conv+BatchNormalization+Relu. Tolerance impact, measured on the synthetic weights against the
 * float64 unfolded PyTorch reference (max error / max value, fixtures/golden/inception): this
 * folded graph on onnxruntime 2.1e-7 (pool3) and 4.8e-7 (logits); PyTorch float32 unfolded 3.5e-7 /
 * 5.1e-7; PyTorch float32 with the same folding 4.4e-7 / 5.3e-7. Folding is lost in float32
 * rounding noise — far below the 1e-4 agreement we promise.
 *
 * Input contract: `images`, float32 NCHW [batch, 3, 299, 299], RGB already mapped to [−1, 1]
 * (pytorch-fid: bilinear resize to 299 with align_corners=False, then x ↦ 2x − 1 — both happen
 * before the network). Outputs: `features` [batch, dims] and, if asked, `logits` [batch, 1008]
 * (pool3 · fc.weightᵀ, WITHOUT fc.bias, as torch-fidelity's "logits_unbiased" for the IS).
 */
import { DataType, encodeModel, type NodeSpec, type TensorSpec, type ValueSpec } from '../../onnx/proto.js';
import type { StateDict } from '../torch/pth-reader.js';
import { BN_EPS, convSpec, INCEPTION_INPUT_SIZE, NUM_CLASSES, POOL3_DIM, type InceptionDims } from './architecture.js';
import { internalError } from '../../errors.js';

/** Bump when the graph changes, so cached models built by an older version are not reused. */
export const INCEPTION_GRAPH_VERSION = 1;

/** Options of `buildInceptionGraph`: the feature block and whether to output the logits. */
export interface InceptionGraphOptions {
  /** Feature block: 64 / 192 / 768 (spatially averaged) or 2048 (pool3). Default 2048. */
  readonly dims?: InceptionDims;
  /** Also output the 1008 unbiased logits (needs the whole network). Default false. */
  readonly logits?: boolean;
}

const ints = (value: readonly number[]) => ({ kind: 'ints', value }) as const;

class Builder {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: TensorSpec[] = [];
  private n = 0;
  constructor(private readonly sd: StateDict) {}

  private fresh(prefix: string): string {
    return `${prefix}:${this.n++}`;
  }

  private tensor(key: string): Float32Array {
    const t = this.sd.get(key);
    if (t === undefined) throw internalError(`inception graph: weight ${key} missing (validate first)`);
    return t.data;
  }

  /** BasicConv2d with BatchNorm folded in, then ReLU. */
  conv(name: string, x: string): string {
    const c = convSpec(name);
    const w = this.tensor(`${name}.conv.weight`);
    const gamma = this.tensor(`${name}.bn.weight`);
    const beta = this.tensor(`${name}.bn.bias`);
    const mean = this.tensor(`${name}.bn.running_mean`);
    const variance = this.tensor(`${name}.bn.running_var`);
    const per = c.cin * c.kh * c.kw;
    const wf = new Float32Array(w.length);
    const bf = new Float32Array(c.cout);
    for (let o = 0; o < c.cout; o++) {
      const s = gamma[o]! / Math.sqrt(variance[o]! + BN_EPS);
      for (let i = o * per; i < (o + 1) * per; i++) wf[i] = w[i]! * s;
      bf[o] = beta[o]! - mean[o]! * s;
    }
    this.initializers.push(
      { name: `${name}.w`, dataType: DataType.FLOAT, dims: [c.cout, c.cin, c.kh, c.kw], data: wf },
      { name: `${name}.b`, dataType: DataType.FLOAT, dims: [c.cout], data: bf },
    );
    const y = this.fresh(name);
    this.nodes.push({
      op: 'Conv',
      name,
      inputs: [x, `${name}.w`, `${name}.b`],
      outputs: [y],
      attributes: {
        kernel_shape: ints([c.kh, c.kw]),
        strides: ints([c.stride, c.stride]),
        pads: ints([c.padH, c.padW, c.padH, c.padW]),
      },
    });
    return this.op('Relu', [y], `${name}.relu`);
  }

  op(op: string, inputs: readonly string[], name: string, attributes?: NodeSpec['attributes']): string {
    const y = this.fresh(name);
    this.nodes.push({ op, name: y, inputs, outputs: [y], ...(attributes ? { attributes } : {}) });
    return y;
  }

  chain(names: readonly string[], x: string): string {
    return names.reduce((h, n) => this.conv(n, h), x);
  }

  maxPool(x: string, stride: number, pad: number, name: string): string {
    // Max pooling ignores padding (ONNX and torch both pad with −∞).
    return this.op('MaxPool', [x], name, { kernel_shape: ints([3, 3]), strides: ints([stride, stride]), pads: ints([pad, pad, pad, pad]) });
  }

  /** 3×3 stride-1 average pool whose padded zeros do NOT count (TF's behaviour, kept by pytorch-fid). */
  avgPool3(x: string, name: string): string {
    return this.op('AveragePool', [x], name, {
      kernel_shape: ints([3, 3]),
      strides: ints([1, 1]),
      pads: ints([1, 1, 1, 1]),
      count_include_pad: { kind: 'int', value: 0 },
    });
  }

  concat(xs: readonly string[], name: string): string {
    return this.op('Concat', xs, name, { axis: { kind: 'int', value: 1 } });
  }

  /** Spatial mean → [batch, C]. */
  globalMean(x: string, name: string): string {
    const g = this.op('GlobalAveragePool', [x], `${name}.gap`);
    return this.op('Flatten', [g], `${name}.flatten`, { axis: { kind: 'int', value: 1 } });
  }

  blockA(m: string, x: string): string {
    return this.concat(
      [
        this.conv(`${m}.branch1x1`, x),
        this.chain([`${m}.branch5x5_1`, `${m}.branch5x5_2`], x),
        this.chain([`${m}.branch3x3dbl_1`, `${m}.branch3x3dbl_2`, `${m}.branch3x3dbl_3`], x),
        this.conv(`${m}.branch_pool`, this.avgPool3(x, `${m}.pool`)),
      ],
      m,
    );
  }

  blockB(m: string, x: string): string {
    return this.concat(
      [this.conv(`${m}.branch3x3`, x), this.chain([`${m}.branch3x3dbl_1`, `${m}.branch3x3dbl_2`, `${m}.branch3x3dbl_3`], x), this.maxPool(x, 2, 0, `${m}.pool`)],
      m,
    );
  }

  blockC(m: string, x: string): string {
    return this.concat(
      [
        this.conv(`${m}.branch1x1`, x),
        this.chain(
          [1, 2, 3].map((i) => `${m}.branch7x7_${i}`),
          x,
        ),
        this.chain(
          [1, 2, 3, 4, 5].map((i) => `${m}.branch7x7dbl_${i}`),
          x,
        ),
        this.conv(`${m}.branch_pool`, this.avgPool3(x, `${m}.pool`)),
      ],
      m,
    );
  }

  blockD(m: string, x: string): string {
    return this.concat(
      [
        this.chain([`${m}.branch3x3_1`, `${m}.branch3x3_2`], x),
        this.chain(
          [1, 2, 3, 4].map((i) => `${m}.branch7x7x3_${i}`),
          x,
        ),
        this.maxPool(x, 2, 0, `${m}.pool`),
      ],
      m,
    );
  }

  /** FID E_1 (average branch pool) or E_2 (`maxPool`: the FID graph's max-pool quirk in Mixed_7c). */
  blockE(m: string, x: string, maxPool: boolean): string {
    const b3 = this.conv(`${m}.branch3x3_1`, x);
    const d3 = this.chain([`${m}.branch3x3dbl_1`, `${m}.branch3x3dbl_2`], x);
    const pooled = maxPool ? this.maxPool(x, 1, 1, `${m}.pool`) : this.avgPool3(x, `${m}.pool`);
    return this.concat(
      [
        this.conv(`${m}.branch1x1`, x),
        this.conv(`${m}.branch3x3_2a`, b3),
        this.conv(`${m}.branch3x3_2b`, b3),
        this.conv(`${m}.branch3x3dbl_3a`, d3),
        this.conv(`${m}.branch3x3dbl_3b`, d3),
        this.conv(`${m}.branch_pool`, pooled),
      ],
      m,
    );
  }
}

/**
 * Encodes the FID Inception as ONNX bytes (float32, opset 17), ready for an onnxruntime session
 * and for caching. `sd` must have passed `validateInceptionWeights`.
 */
export function buildInceptionGraph(sd: StateDict, options: InceptionGraphOptions = {}): Uint8Array {
  const dims = options.dims ?? POOL3_DIM;
  const logits = options.logits ?? false;
  const b = new Builder(sd);
  // The chosen block goes to the fixed output name `features`.
  const emit = (x: string) => b.nodes.push({ op: 'Identity', name: 'features', inputs: [x], outputs: ['features'] });
  const take = (d: InceptionDims, x: string) => {
    if (d === dims) emit(b.globalMean(x, `pool${d}`));
  };
  const done = (d: InceptionDims) => d >= dims && !logits;

  let x = b.chain(['Conv2d_1a_3x3', 'Conv2d_2a_3x3', 'Conv2d_2b_3x3'], 'images');
  x = b.maxPool(x, 2, 0, 'maxpool1');
  take(64, x);
  if (!done(64)) {
    x = b.maxPool(b.chain(['Conv2d_3b_1x1', 'Conv2d_4a_3x3'], x), 2, 0, 'maxpool2');
    take(192, x);
  }
  if (!done(192)) {
    for (const m of ['Mixed_5b', 'Mixed_5c', 'Mixed_5d']) x = b.blockA(m, x);
    x = b.blockB('Mixed_6a', x);
    for (const m of ['Mixed_6b', 'Mixed_6c', 'Mixed_6d', 'Mixed_6e']) x = b.blockC(m, x);
    take(768, x);
  }
  let pool3: string | undefined;
  if (!done(768)) {
    x = b.blockE('Mixed_7b', b.blockD('Mixed_7a', x), false);
    x = b.blockE('Mixed_7c', x, true);
    pool3 = b.globalMean(x, 'pool3');
    if (dims === POOL3_DIM) emit(pool3);
  }
  const outputs: ValueSpec[] = [{ name: 'features', dataType: DataType.FLOAT, dims: ['batch', dims] }];
  if (logits && pool3 !== undefined) {
    // fc.weight is [1008, 2048]; store its transpose so the head is one MatMul.
    const w = sd.get('fc.weight')!.data;
    const wt = new Float32Array(w.length);
    for (let k = 0; k < NUM_CLASSES; k++) for (let j = 0; j < POOL3_DIM; j++) wt[j * NUM_CLASSES + k] = w[k * POOL3_DIM + j]!;
    b.initializers.push({ name: 'fc.weight.T', dataType: DataType.FLOAT, dims: [POOL3_DIM, NUM_CLASSES], data: wt });
    b.nodes.push({ op: 'MatMul', name: 'logits', inputs: [pool3, 'fc.weight.T'], outputs: ['logits'] });
    outputs.push({ name: 'logits', dataType: DataType.FLOAT, dims: ['batch', NUM_CLASSES] });
  }
  return encodeModel({
    nodes: b.nodes,
    initializers: b.initializers,
    inputs: [{ name: 'images', dataType: DataType.FLOAT, dims: ['batch', 3, INCEPTION_INPUT_SIZE, INCEPTION_INPUT_SIZE] }],
    outputs,
    graphName: 'pytorch-fid-inception-v3',
    opset: 17,
  });
}
