/**
 * SRGAN's networks (Ledig et al. 2017, Figure 4), CPU-sized (the paper: 64 channels, 16 blocks,
 * 96 px crops):
 * - SrResNet (the generator): conv 9×9 (C → w) → PReLU → `blocks` × residual [conv 3×3 → BN →
 *   PReLU → conv 3×3 → BN] → conv 3×3 → BN → + the stem's output (the long skip) → ×2
 *   upsampling → conv 9×9 (w → C) → tanh. Upsampling: the paper's sub-pixel convolution (Shi et
 *   al. 2016: conv 3×3 w → 4w → pixel shuffle → PReLU) or a transposed conv (k4 s2 p1 → PReLU),
 *   the deconvolution the sub-pixel layer replaced.
 * - SrDiscriminator: conv 3×3 (C → w) → LReLU, then 7 × [conv 3×3 → BN → LReLU] with strides
 *   2, 1, 2, 1, 2, 1, 2 and widths w, 2w, 2w, 4w, 4w, 8w, 8w (28 → 14 → 7 → 4 → 2 px) → dense
 *   16w → LReLU → dense 1: a logit (the paper's 1024-unit dense at 2× the last conv width).
 * LeakyReLU slope 0.2 as the paper; PReLU slopes start at 0.25 (He et al. 2015, PyTorch's).
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF, Variable } from '../family.js';
import type { Rng } from '../rng.js';
import { depthToSpace } from '../tfjs/conv-grad.js';
import { BatchNorm } from './batch-norm.js';
import { Conv2d, ConvTranspose2d, leakyRelu } from './conv.js';
import { Dense } from './dense.js';
import { PartsModule, type ParamModule, variableFrom } from './params.js';

/** PReLU (He et al. 2015): max(x, 0) + α·min(x, 0) with a learned slope α per channel. */
export class PRelu implements ParamModule {
  readonly alpha: Variable;

  constructor(
    private readonly tf: TF,
    channels: number,
  ) {
    this.alpha = variableFrom(tf, new Float32Array(channels).fill(0.25), [channels]);
  }

  /** Written as relu(x) − α·relu(−x): stock gradients on every backend, for x and α. */
  apply<T extends tfNs.Tensor>(x: T): T {
    const tf = this.tf;
    return tf.sub(tf.relu(x), tf.mul(this.alpha, tf.relu(tf.neg(x)))) as T;
  }

  namedVariables(prefix: string): [string, Variable][] {
    return [[`${prefix}.alpha`, this.alpha]];
  }

  trainable(): Variable[] {
    return [this.alpha];
  }

  dispose(): void {
    this.alpha.dispose();
  }
}

/** The generator's ×2 upsampling: the paper's sub-pixel convolution, or a transposed conv. */
export type Upsampling = 'pixel-shuffle' | 'transposed';

export interface SrResNetOptions {
  /** Input side (the output's is twice it). */
  size: number;
  channels: number;
  /** Channels of every hidden conv. */
  width: number;
  blocks: number;
  upsampling: Upsampling;
}

/** A conv → BN pair, the unit of the residual blocks. */
type ConvBn = [Conv2d, BatchNorm];

/** The SRResNet generator: [N, size²·C] low-resolution rows → [N, (2·size)²·C] rows in [−1, 1]. */
export class SrResNet extends PartsModule {
  private readonly partList: [string, ParamModule][];
  private readonly stem: Conv2d;
  private readonly stemAct: PRelu;
  private readonly blocks: { a: ConvBn; act: PRelu; b: ConvBn }[];
  private readonly mid: ConvBn;
  private readonly up: Conv2d | ConvTranspose2d;
  private readonly upAct: PRelu;
  private readonly out: Conv2d;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly opts: SrResNetOptions,
  ) {
    super();
    const { channels: C, width: w } = opts;
    const conv3 = (cin: number, cout: number) => new Conv2d(tf, rng, cin, cout, { kernel: 3, pad: 1 });
    const convBn = (): ConvBn => [conv3(w, w), new BatchNorm(tf, rng, w)];
    this.stem = new Conv2d(tf, rng, C, w, { kernel: 9, pad: 4 });
    this.stemAct = new PRelu(tf, w);
    this.blocks = Array.from({ length: opts.blocks }, () => ({ a: convBn(), act: new PRelu(tf, w), b: convBn() }));
    this.mid = convBn();
    this.up = opts.upsampling === 'pixel-shuffle' ? conv3(w, 4 * w) : new ConvTranspose2d(tf, rng, w, w, { kernel: 4, stride: 2, pad: 1 });
    this.upAct = new PRelu(tf, w);
    this.out = new Conv2d(tf, rng, w, C, { kernel: 9, pad: 4 });
    this.partList = [
      ['stem', this.stem],
      ['stem_act', this.stemAct],
      ...this.blocks.flatMap(({ a, act, b }, i): [string, ParamModule][] => [
        [`res${i}.conv_a`, a[0]],
        [`res${i}.bn_a`, a[1]],
        [`res${i}.act`, act],
        [`res${i}.conv_b`, b[0]],
        [`res${i}.bn_b`, b[1]],
      ]),
      ['mid.conv', this.mid[0]],
      ['mid.bn', this.mid[1]],
      ['up', this.up],
      ['up_act', this.upAct],
      ['out', this.out],
    ];
  }

  /** Super-resolved images; `training`: batch norm on the batch's statistics (else its running averages). */
  apply(x: tfNs.Tensor2D, training = true): tfNs.Tensor2D {
    const tf = this.tf;
    const { size: s, channels: C } = this.opts;
    const n = x.shape[0];
    const convBn = ([conv, bn]: ConvBn, h: tfNs.Tensor4D) => bn.apply(conv.apply(h), training);
    const skip = this.stemAct.apply(this.stem.apply(tf.reshape(x, [n, s, s, C]) as tfNs.Tensor4D));
    let h = skip;
    for (const { a, act, b } of this.blocks) h = tf.add(h, convBn(b, act.apply(convBn(a, h)))) as tfNs.Tensor4D;
    h = tf.add(skip, convBn(this.mid, h)) as tfNs.Tensor4D;
    const up = this.up.apply(h);
    h = this.upAct.apply(this.opts.upsampling === 'pixel-shuffle' ? depthToSpace(tf, up, [2, 2]) : up);
    return tf.reshape(tf.tanh(this.out.apply(h)), [n, 4 * s * s * C]) as tfNs.Tensor2D;
  }

  protected parts(): [string, ParamModule][] {
    return this.partList;
  }
}

/** The SRGAN discriminator: [N, size²·C] rows → [N, 1] logits. */
export class SrDiscriminator extends PartsModule {
  private readonly first: Conv2d;
  private readonly stack: ConvBn[];
  private readonly fc: Dense;
  private readonly logit: Dense;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly opts: { size: number; channels: number; width: number },
  ) {
    super();
    const { channels: C, width: w } = opts;
    this.first = new Conv2d(tf, rng, C, w, { kernel: 3, pad: 1 });
    const plan: [number, number, number][] = [
      [w, w, 2],
      [w, 2 * w, 1],
      [2 * w, 2 * w, 2],
      [2 * w, 4 * w, 1],
      [4 * w, 4 * w, 2],
      [4 * w, 8 * w, 1],
      [8 * w, 8 * w, 2],
    ];
    let side = opts.size;
    this.stack = plan.map(([cin, cout, stride]) => {
      const conv = new Conv2d(tf, rng, cin, cout, { kernel: 3, stride, pad: 1 });
      side = conv.outSize(side);
      return [conv, new BatchNorm(tf, rng, cout)];
    });
    this.fc = new Dense(tf, rng, side * side * 8 * w, 16 * w);
    this.logit = new Dense(tf, rng, 16 * w, 1);
  }

  /** Logits (real: high); batch norm in training mode, as during the game. */
  apply(x: tfNs.Tensor2D): tfNs.Tensor2D {
    const tf = this.tf;
    const { size: s, channels: C } = this.opts;
    const n = x.shape[0];
    let h = leakyRelu(tf, this.first.apply(tf.reshape(x, [n, s, s, C]) as tfNs.Tensor4D));
    for (const [conv, bn] of this.stack) h = leakyRelu(tf, bn.apply(conv.apply(h)));
    return this.logit.apply(leakyRelu(tf, this.fc.apply(tf.reshape(h, [n, -1]) as tfNs.Tensor2D)));
  }

  protected parts(): [string, ParamModule][] {
    return [
      ['conv0', this.first],
      ...this.stack.flatMap(([conv, bn], i): [string, ParamModule][] => [
        [`conv${i + 1}`, conv],
        [`bn${i + 1}`, bn],
      ]),
      ['fc', this.fc],
      ['logit', this.logit],
    ];
  }
}
