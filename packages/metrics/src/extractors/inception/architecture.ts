/**
 * The pytorch-fid Inception-v3 ("FID Inception"): torchvision's Inception3 with 1008 classes, no
 * aux logits, BatchNorm eps 0.001, Mixed_5b–5d / 6b–6e / 7b / 7c replaced by the FID A / C / E_1 /
 * E_2 blocks (see mseitzer/pytorch-fid src/pytorch_fid/inception.py). This file is the single
 * table of its convolutions — names, shapes, strides, paddings — in state-dict order; the weight
 * validation, the ONNX graph builder and the synthetic-weight generator all read it.
 */
import { internalError } from '../../errors.js';

/** One BasicConv2d: conv (no bias) + BatchNorm(eps 0.001) + ReLU, keys `<name>.conv.weight`, `<name>.bn.*`. */
export interface ConvSpec {
  readonly name: string;
  readonly cin: number;
  readonly cout: number;
  readonly kh: number;
  readonly kw: number;
  readonly stride: number;
  readonly padH: number;
  readonly padW: number;
}

export const BN_EPS = 0.001;
/** Logits of pytorch-fid's Inception (1008 classes, as TensorFlow's original graph). */
export const NUM_CLASSES = 1008;
export const POOL3_DIM = 2048;
/** pytorch-fid's `--dims` choices: output of maxpool1, maxpool2, Mixed_6e, final average pool. */
export const INCEPTION_DIMS = [64, 192, 768, 2048] as const;
/** A feature block of the Inception network: 64, 192, 768 or 2048 (`INCEPTION_DIMS`). */
export type InceptionDims = (typeof INCEPTION_DIMS)[number];
/** Side of the square RGB input. */
export const INCEPTION_INPUT_SIZE = 299;

function build(): ConvSpec[] {
  const convs: ConvSpec[] = [];
  const conv = (name: string, cin: number, cout: number, k: number | [number, number], stride = 1, pad: number | [number, number] = 0): void => {
    const [kh, kw] = typeof k === 'number' ? [k, k] : k;
    const [padH, padW] = typeof pad === 'number' ? [pad, pad] : pad;
    convs.push({ name, cin, cout, kh, kw, stride, padH, padW });
  };
  const a = (m: string, cin: number, poolFeatures: number): void => {
    conv(`${m}.branch1x1`, cin, 64, 1);
    conv(`${m}.branch5x5_1`, cin, 48, 1);
    conv(`${m}.branch5x5_2`, 48, 64, 5, 1, 2);
    conv(`${m}.branch3x3dbl_1`, cin, 64, 1);
    conv(`${m}.branch3x3dbl_2`, 64, 96, 3, 1, 1);
    conv(`${m}.branch3x3dbl_3`, 96, 96, 3, 1, 1);
    conv(`${m}.branch_pool`, cin, poolFeatures, 1);
  };
  const b = (m: string, cin: number): void => {
    conv(`${m}.branch3x3`, cin, 384, 3, 2);
    conv(`${m}.branch3x3dbl_1`, cin, 64, 1);
    conv(`${m}.branch3x3dbl_2`, 64, 96, 3, 1, 1);
    conv(`${m}.branch3x3dbl_3`, 96, 96, 3, 2);
  };
  const c = (m: string, cin: number, c7: number): void => {
    conv(`${m}.branch1x1`, cin, 192, 1);
    conv(`${m}.branch7x7_1`, cin, c7, 1);
    conv(`${m}.branch7x7_2`, c7, c7, [1, 7], 1, [0, 3]);
    conv(`${m}.branch7x7_3`, c7, 192, [7, 1], 1, [3, 0]);
    conv(`${m}.branch7x7dbl_1`, cin, c7, 1);
    conv(`${m}.branch7x7dbl_2`, c7, c7, [7, 1], 1, [3, 0]);
    conv(`${m}.branch7x7dbl_3`, c7, c7, [1, 7], 1, [0, 3]);
    conv(`${m}.branch7x7dbl_4`, c7, c7, [7, 1], 1, [3, 0]);
    conv(`${m}.branch7x7dbl_5`, c7, 192, [1, 7], 1, [0, 3]);
    conv(`${m}.branch_pool`, cin, 192, 1);
  };
  const d = (m: string, cin: number): void => {
    conv(`${m}.branch3x3_1`, cin, 192, 1);
    conv(`${m}.branch3x3_2`, 192, 320, 3, 2);
    conv(`${m}.branch7x7x3_1`, cin, 192, 1);
    conv(`${m}.branch7x7x3_2`, 192, 192, [1, 7], 1, [0, 3]);
    conv(`${m}.branch7x7x3_3`, 192, 192, [7, 1], 1, [3, 0]);
    conv(`${m}.branch7x7x3_4`, 192, 192, 3, 2);
  };
  const e = (m: string, cin: number): void => {
    conv(`${m}.branch1x1`, cin, 320, 1);
    conv(`${m}.branch3x3_1`, cin, 384, 1);
    conv(`${m}.branch3x3_2a`, 384, 384, [1, 3], 1, [0, 1]);
    conv(`${m}.branch3x3_2b`, 384, 384, [3, 1], 1, [1, 0]);
    conv(`${m}.branch3x3dbl_1`, cin, 448, 1);
    conv(`${m}.branch3x3dbl_2`, 448, 384, 3, 1, 1);
    conv(`${m}.branch3x3dbl_3a`, 384, 384, [1, 3], 1, [0, 1]);
    conv(`${m}.branch3x3dbl_3b`, 384, 384, [3, 1], 1, [1, 0]);
    conv(`${m}.branch_pool`, cin, 192, 1);
  };
  conv('Conv2d_1a_3x3', 3, 32, 3, 2);
  conv('Conv2d_2a_3x3', 32, 32, 3);
  conv('Conv2d_2b_3x3', 32, 64, 3, 1, 1);
  conv('Conv2d_3b_1x1', 64, 80, 1);
  conv('Conv2d_4a_3x3', 80, 192, 3);
  a('Mixed_5b', 192, 32);
  a('Mixed_5c', 256, 64);
  a('Mixed_5d', 288, 64);
  b('Mixed_6a', 288);
  c('Mixed_6b', 768, 128);
  c('Mixed_6c', 768, 160);
  c('Mixed_6d', 768, 160);
  c('Mixed_6e', 768, 192);
  d('Mixed_7a', 768);
  e('Mixed_7b', 1280);
  e('Mixed_7c', 2048);
  return convs;
}

/** Every BasicConv2d of the network, in state-dict order. */
export const INCEPTION_CONVS: readonly ConvSpec[] = build();

const BY_NAME = new Map(INCEPTION_CONVS.map((c) => [c.name, c]));

/** The conv spec of `name` (a programming error if unknown). */
export function convSpec(name: string): ConvSpec {
  const c = BY_NAME.get(name);
  if (c === undefined) throw internalError(`inception: no conv named ${name}`);
  return c;
}

/** A state-dict entry the network needs. */
export interface WeightSpec {
  readonly key: string;
  readonly shape: readonly number[];
}

/**
 * The weights the network reads, in state-dict order. `num_batches_tracked` counters and
 * `fc.bias` (the IS logits are unbiased) may be present but are not needed.
 */
export const INCEPTION_WEIGHTS: readonly WeightSpec[] = [
  ...INCEPTION_CONVS.flatMap((c) => [
    { key: `${c.name}.conv.weight`, shape: [c.cout, c.cin, c.kh, c.kw] },
    { key: `${c.name}.bn.weight`, shape: [c.cout] },
    { key: `${c.name}.bn.bias`, shape: [c.cout] },
    { key: `${c.name}.bn.running_mean`, shape: [c.cout] },
    { key: `${c.name}.bn.running_var`, shape: [c.cout] },
  ]),
  { key: 'fc.weight', shape: [NUM_CLASSES, POOL3_DIM] },
];
