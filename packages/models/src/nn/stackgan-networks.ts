/**
 * StackGAN's networks (Zhang et al. 2017, "StackGAN: Text to Photo-realistic Image Synthesis with
 * Stacked Generative Adversarial Networks", §3 and Figure 2), CPU-sized for 14 → 28 px digits
 * (the paper: 64 → 256 px, 128-dimensional conditions, widths up to 1024):
 * - ConditioningAugmentation: text φ → Linear → ReLU → split into μ and log σ²; c = μ + σ ⊙ ε
 *   (the layout of hanzhanggit/StackGAN-Pytorch's CA_NET). Off, it is Linear → ReLU → c.
 * - Stage1Generator: (z, c) → Linear → 7×7×2w → BN → ReLU → ConvT k4 s2 → 14×14×w → BN → ReLU
 *   → conv 3×3 → tanh.
 * - Stage2Generator: the stage-I image → conv 3×3 → ReLU → conv k4 s2 → BN → ReLU (7×7×2w),
 *   concatenated with c tiled over the map → conv 3×3 → BN → ReLU → residual blocks → 2 ×
 *   [ConvT k4 s2 → BN → ReLU] (28×28×w) → conv 3×3 → tanh.
 * - StageDiscriminator: strided convs with LeakyReLU 0.2 (BN after the first) down to a 4×4 code;
 *   conditional logits: the code concatenated with the condition tiled → conv 3×3 → BN → LeakyReLU
 *   → conv 4×4 → one logit; stage II adds unconditional logits (conv 4×4 on the code alone). The
 *   condition is the text compressed by D's own Linear → LeakyReLU 0.2 (the paper, §3.2) or, with
 *   `textDims` absent, the generator's μ as given (StackGAN-Pytorch).
 * Every network draws its initial weights from the given Rng, in the order of its parts.
 */
import type * as tfNs from '@tensorflow/tfjs';
import type { TF } from '../family.js';
import type { Rng } from '../rng.js';
import { BatchNorm } from './batch-norm.js';
import { Conv2d, ConvTranspose2d, leakyRelu } from './conv.js';
import { Dense } from './dense.js';
import { PartsModule, type ParamModule } from './params.js';
import { TextProjection } from './text-networks.js';

/** The condition code and, with augmentation on, the Gaussian it was drawn from. */
export interface CondCode {
  /** [N, condDim] condition c. */
  readonly c: tfNs.Tensor2D;
  /** [N, condDim] mean μ (c itself when augmentation is off). */
  readonly mu: tfNs.Tensor2D;
  /** [N, condDim] log σ², absent when augmentation is off. */
  readonly logvar?: tfNs.Tensor2D;
}

/**
 * Conditioning Augmentation (§3.1): c ~ N(μ(φ), diag σ²(φ)), drawn as μ + exp(½ log σ²) ⊙ ε
 * so that the gradient reaches μ and σ. `augment` false is the paper's "no CA" ablation: c is
 * the projected text, deterministic.
 */
export class ConditioningAugmentation extends PartsModule {
  readonly fc: Dense;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly opts: { textDims: number; condDim: number; augment: boolean },
  ) {
    super();
    this.fc = new Dense(tf, rng, opts.textDims, (opts.augment ? 2 : 1) * opts.condDim);
  }

  /** The condition of text rows [N, textDims]; `eps` [N, condDim] is the noise (ignored when off). */
  apply(text: tfNs.Tensor2D, eps: tfNs.Tensor2D | null): CondCode {
    const tf = this.tf;
    const h = tf.relu(this.fc.apply(text));
    if (!this.opts.augment) return { c: h, mu: h };
    const d = this.opts.condDim;
    const mu = tf.slice(h, [0, 0], [-1, d]) as tfNs.Tensor2D;
    const logvar = tf.slice(h, [0, d], [-1, d]) as tfNs.Tensor2D;
    if (!eps) return { c: mu, mu, logvar };
    return { c: tf.add(mu, tf.mul(tf.exp(tf.mul(0.5, logvar)), eps)) as tfNs.Tensor2D, mu, logvar };
  }

  protected parts(): [string, ParamModule][] {
    return [['fc', this.fc]];
  }
}

/**
 * The KL divergence KL(N(μ, diag σ²) ‖ N(0, I)) per dimension, −½(1 + log σ² − μ² − σ²), averaged
 * over the batch and the dimensions (StackGAN-Pytorch's KL_loss: the mean, not the sum).
 */
export function caKlDivergence(tf: TF, mu: tfNs.Tensor2D, logvar: tfNs.Tensor2D): tfNs.Scalar {
  const inner = tf.sub(tf.add(1, logvar), tf.add(tf.square(mu), tf.exp(logvar)));
  return tf.mul(-0.5, tf.mean(inner)) as tfNs.Scalar;
}

/** c [N, d] repeated over an s×s map: [N, s, s, d]. */
function tile(tf: TF, c: tfNs.Tensor2D, s: number): tfNs.Tensor4D {
  const [n, d] = c.shape;
  return tf.mul(tf.reshape(c, [n, 1, 1, d]), tf.ones([1, s, s, 1])) as tfNs.Tensor4D;
}

/** A conv → batch norm → ReLU (or LeakyReLU 0.2) unit. */
class ConvBnAct extends PartsModule {
  constructor(
    private readonly tf: TF,
    readonly conv: Conv2d | ConvTranspose2d,
    readonly bn: BatchNorm,
    private readonly act: 'relu' | 'lrelu',
  ) {
    super();
  }

  apply(x: tfNs.Tensor4D, training: boolean): tfNs.Tensor4D {
    const y = this.bn.apply(this.conv.apply(x), training);
    return this.act === 'relu' ? this.tf.relu(y) : leakyRelu(this.tf, y);
  }

  protected parts(): [string, ParamModule][] {
    return [
      ['conv', this.conv],
      ['bn', this.bn],
    ];
  }
}

const conv3 = (tf: TF, rng: Rng, cin: number, cout: number, bias = true) => new Conv2d(tf, rng, cin, cout, { kernel: 3, pad: 1, bias });
const up2 = (tf: TF, rng: Rng, cin: number, cout: number) => new ConvTranspose2d(tf, rng, cin, cout, { kernel: 4, stride: 2, pad: 1, bias: false });

export interface GeneratorSizes {
  /** Width of the caption embeddings. */
  textDims: number;
  /** Dimension of the condition c. */
  condDim: number;
  /** Conditioning Augmentation on (c drawn from N(μ, σ²)) or off (c = the projected text). */
  augment: boolean;
  /** Channel width w. */
  width: number;
  /** Image channels. */
  channels: number;
}

/** Stage I: (z, text) → [N, 14, 14, C] in [−1, 1], with its own Conditioning Augmentation. */
export class Stage1Generator extends PartsModule {
  readonly ca: ConditioningAugmentation;
  private readonly project: Dense;
  private readonly bn0: BatchNorm;
  private readonly up: ConvBnAct;
  private readonly out: Conv2d;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly opts: GeneratorSizes & { latentDim: number },
  ) {
    super();
    const w = opts.width;
    this.ca = new ConditioningAugmentation(tf, rng, opts);
    this.project = new Dense(tf, rng, opts.latentDim + opts.condDim, 7 * 7 * 2 * w, { bias: false });
    this.bn0 = new BatchNorm(tf, rng, 2 * w);
    this.up = new ConvBnAct(tf, up2(tf, rng, 2 * w, w), new BatchNorm(tf, rng, w), 'relu');
    this.out = conv3(tf, rng, w, opts.channels);
  }

  /** Images and the condition code; `eps` is the augmentation's noise, `training` batch norm's mode. */
  apply(z: tfNs.Tensor2D, text: tfNs.Tensor2D, eps: tfNs.Tensor2D | null, training: boolean): { image: tfNs.Tensor4D; code: CondCode } {
    const tf = this.tf;
    const code = this.ca.apply(text, eps);
    const n = z.shape[0];
    const h0 = tf.reshape(this.project.apply(tf.concat([z, code.c], 1) as tfNs.Tensor2D), [n, 7, 7, 2 * this.opts.width]) as tfNs.Tensor4D;
    const h = this.up.apply(tf.relu(this.bn0.apply(h0, training)), training);
    return { image: tf.tanh(this.out.apply(h)), code };
  }

  protected parts(): [string, ParamModule][] {
    return [
      ['ca', this.ca],
      ['project', this.project],
      ['bn0', this.bn0],
      ['up', this.up],
      ['out', this.out],
    ];
  }
}

/** A residual block: x + BN(conv(ReLU(BN(conv(x))))), then ReLU (StackGAN-Pytorch's ResBlock). */
class ResBlock extends PartsModule {
  private readonly a: ConvBnAct;
  private readonly conv: Conv2d;
  private readonly bn: BatchNorm;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    c: number,
  ) {
    super();
    this.a = new ConvBnAct(tf, conv3(tf, rng, c, c, false), new BatchNorm(tf, rng, c), 'relu');
    this.conv = conv3(tf, rng, c, c, false);
    this.bn = new BatchNorm(tf, rng, c);
  }

  apply(x: tfNs.Tensor4D, training: boolean): tfNs.Tensor4D {
    return this.tf.relu(this.tf.add(x, this.bn.apply(this.conv.apply(this.a.apply(x, training)), training)));
  }

  protected parts(): [string, ParamModule][] {
    return [
      ['a', this.a],
      ['conv', this.conv],
      ['bn', this.bn],
    ];
  }
}

/** Stage II: (stage-I image [N, 14, 14, C], text) → [N, 28, 28, C] in [−1, 1], its own augmentation. */
export class Stage2Generator extends PartsModule {
  readonly ca: ConditioningAugmentation;
  private readonly enc0: Conv2d;
  private readonly enc1: ConvBnAct;
  private readonly joint: ConvBnAct;
  private readonly blocks: ResBlock[];
  private readonly ups: ConvBnAct[];
  private readonly out: Conv2d;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly opts: GeneratorSizes & { blocks: number },
  ) {
    super();
    const w = opts.width;
    this.ca = new ConditioningAugmentation(tf, rng, opts);
    this.enc0 = conv3(tf, rng, opts.channels, w);
    this.enc1 = new ConvBnAct(tf, new Conv2d(tf, rng, w, 2 * w, { kernel: 4, stride: 2, pad: 1, bias: false }), new BatchNorm(tf, rng, 2 * w), 'relu');
    this.joint = new ConvBnAct(tf, conv3(tf, rng, 2 * w + opts.condDim, 2 * w, false), new BatchNorm(tf, rng, 2 * w), 'relu');
    this.blocks = Array.from({ length: opts.blocks }, () => new ResBlock(tf, rng, 2 * w));
    this.ups = [new ConvBnAct(tf, up2(tf, rng, 2 * w, w), new BatchNorm(tf, rng, w), 'relu'), new ConvBnAct(tf, up2(tf, rng, w, w), new BatchNorm(tf, rng, w), 'relu')];
    this.out = conv3(tf, rng, w, opts.channels);
  }

  apply(low: tfNs.Tensor4D, text: tfNs.Tensor2D, eps: tfNs.Tensor2D | null, training: boolean): { image: tfNs.Tensor4D; code: CondCode } {
    const tf = this.tf;
    const code = this.ca.apply(text, eps);
    const enc = this.enc1.apply(tf.relu(this.enc0.apply(low)), training);
    let h = this.joint.apply(tf.concat([enc, tile(tf, code.c, enc.shape[1])], 3), training);
    for (const b of this.blocks) h = b.apply(h, training);
    for (const u of this.ups) h = u.apply(h, training);
    return { image: tf.tanh(this.out.apply(h)), code };
  }

  protected parts(): [string, ParamModule][] {
    return [
      ['ca', this.ca],
      ['enc0', this.enc0],
      ['enc1', this.enc1],
      ['joint', this.joint],
      ...this.blocks.map((b, i): [string, ParamModule] => [`res${i}`, b]),
      ...this.ups.map((u, i): [string, ParamModule] => [`up${i}`, u]),
      ['out', this.out],
    ];
  }
}

/**
 * A stage's discriminator on size×size images (14: stage I, 28: stage II): the image code, the
 * matching-aware conditional logits, and (stage II) unconditional logits.
 */
export class StageDiscriminator extends PartsModule {
  private readonly first: Conv2d;
  private readonly downs: ConvBnAct[];
  private readonly joint: ConvBnAct;
  private readonly condOut: Conv2d;
  private readonly uncondOut: Conv2d | null;
  private readonly text: TextProjection | null;

  constructor(
    private readonly tf: TF,
    rng: Rng,
    readonly opts: { size: 14 | 28; channels: number; width: number; condDim: number; unconditional: boolean; textDims?: number },
  ) {
    super();
    const w = opts.width;
    this.first = new Conv2d(tf, rng, opts.channels, w, { kernel: 4, stride: 2, pad: 1 });
    // To 7×7 by k4 s2 convs, then 7 → 4 by a k3 s2 conv.
    const plan: [number, number][] = opts.size === 28 ? [[4, 2 * w]] : [];
    plan.push([3, (opts.size === 28 ? 4 : 2) * w]);
    let c = w;
    this.downs = plan.map(([kernel, out]) => {
      const unit = new ConvBnAct(tf, new Conv2d(tf, rng, c, out, { kernel, stride: 2, pad: 1, bias: false }), new BatchNorm(tf, rng, out), 'lrelu');
      c = out;
      return unit;
    });
    this.joint = new ConvBnAct(tf, conv3(tf, rng, c + opts.condDim, c, false), new BatchNorm(tf, rng, c), 'lrelu');
    this.condOut = new Conv2d(tf, rng, c, 1, { kernel: 4 });
    this.uncondOut = opts.unconditional ? new Conv2d(tf, rng, c, 1, { kernel: 4 }) : null;
    this.text = opts.textDims === undefined ? null : new TextProjection(tf, rng, opts.textDims, opts.condDim, { batchNorm: false });
  }

  /** The 4×4 image code of images [N, size, size, C] (batch norm in training mode: D runs only in the game). */
  code(x: tfNs.Tensor4D): tfNs.Tensor4D {
    let h = leakyRelu(this.tf, this.first.apply(x));
    for (const d of this.downs) h = d.apply(h, true);
    return h;
  }

  /** Logits [N, 1] of (image code, condition) pairs: text rows [N, textDims] with D's own projection, else c [N, condDim]. */
  condLogits(code: tfNs.Tensor4D, cond: tfNs.Tensor2D): tfNs.Tensor2D {
    const tf = this.tf;
    const c = this.text ? this.text.apply(cond, true) : cond;
    const h = this.joint.apply(tf.concat([code, tile(tf, c, code.shape[1])], 3), true);
    return tf.reshape(this.condOut.apply(h), [code.shape[0], 1]) as tfNs.Tensor2D;
  }

  /** Logits [N, 1] of the image code alone (stage II), or null. */
  uncondLogits(code: tfNs.Tensor4D): tfNs.Tensor2D | null {
    return this.uncondOut ? (this.tf.reshape(this.uncondOut.apply(code), [code.shape[0], 1]) as tfNs.Tensor2D) : null;
  }

  protected parts(): [string, ParamModule | null][] {
    return [
      ['conv0', this.first],
      ...this.downs.map((d, i): [string, ParamModule] => [`down${i}`, d]),
      ['joint', this.joint],
      ['cond_out', this.condOut],
      ['uncond_out', this.uncondOut],
      ['text', this.text],
    ];
  }
}
