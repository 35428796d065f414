/**
 * The contract between the shared training loop and a model family. A family module (one per
 * family under ./families) reads like its paper's algorithm box: `create` builds the networks
 * and optimisers, `step` is one iteration of the algorithm on one batch, `sample` draws from the
 * trained model. Everything else — data, seeds, evaluation, checkpoints, resume, progress — is
 * the loop's job (./train), identical for every family.
 */
import type { MetricSpec } from '@gen-eval/metrics';
import type { Condition } from './condition.js';
import type { Rng } from './rng.js';
import type { ImageShape } from './data/image-set.js';
import type { ClassifierName } from '@gen-eval/metrics/extract';
import type { TF, Variable } from './tf-types.js';

export type { TF, Variable } from './tf-types.js';
/** Optimisers are ours (nn/optimizers.ts: Adam, RmsProp), so checkpoints restore them exactly. */
export type { Optimizer } from './nn/optimizers.js';
import type { Optimizer } from './nn/optimizers.js';

/** Hyper-parameter schemas (./hyper-param-schema.ts): what a family declares, and the values `create` gets. */
export type { HpSchema, HpSpec, HpValues, HyperParams } from './hyper-param-schema.js';
import type { HpSchema, HpValues, HyperParams } from './hyper-param-schema.js';

/** One training batch, float32 rows of `dims` values each. */
export interface Batch {
  readonly n: number;
  readonly dims: number;
  /** n × dims samples of the data (domain A for two-domain families). */
  readonly x: Float32Array;
  /** The mode index of each sample (datasets with modes; conditional families). */
  readonly labels?: Int32Array;
  /** n × dims samples of the second domain (unpaired; cyclegan). */
  readonly y?: Float32Array;
  /**
   * Paired data (pix2pix, SRGAN): n × `DataInfo.input.dims` input images, row i the condition of
   * target row i of `x` (an edge map and its item; a low-resolution image and its original).
   */
  readonly input?: Float32Array;
  /** Captioned data (gan-cls, stackgan): each sample's caption, drawn from its phrasings. */
  readonly captions?: readonly string[];
  /** Captioned data: n × `DataInfo.text.dims` conditioning embeddings of `captions` (the `cond` encoder's). */
  readonly text?: Float32Array;
}

/** What a family knows of its data when it builds its networks. */
export interface DataInfo {
  /** Values per sample (for images: height · width · channels, rows are NHWC-flattened). */
  readonly dims: number;
  /** Present for image data: samples are NHWC images with values in [−1, 1]. */
  readonly image?: { readonly height: number; readonly width: number; readonly channels: number };
  /** Number of classes (modes) when the data has labels; conditional families need it. */
  readonly classes?: number;
  /** Paired data: the shape of the input image each sample (target) is paired with (NHWC in [−1, 1]). */
  readonly input?: { readonly dims: number; readonly image: ImageShape };
  /** The embedded classifier that knows the data's domain, where one does (image-eval.ts classifierFor). */
  readonly classifier?: ClassifierName;
  /** Captioned data: the width of the conditioning caption embeddings (`Batch.text`) and the encoder's name. */
  readonly text?: { readonly dims: number; readonly encoder: string };
}

export interface ModelContext<H extends HyperParams = HyperParams> {
  readonly tf: TF;
  readonly hp: H;
  readonly data: DataInfo;
  /** The generator for weight initialisation (seeded from the run's seed). */
  readonly rng: Rng;
}

/** Options of `sample`: those of the family's declared condition (condition.ts). */
export interface SampleOptions {
  /**
   * 'label': the class (mode index) to generate; 'code': the value of the categorical code.
   * Default: drawn uniformly.
   */
  label?: number;
  /** 'image': translate from this domain (default: the declaration's first). */
  from?: 'a' | 'b';
  /** 'image': the n × dims samples of the source domain to translate (paired data: n × `DataInfo.input.dims` inputs). */
  input?: Float32Array;
  /** 'text': the caption every sample is drawn for. */
  caption?: string;
  /** 'text': n × `DataInfo.text.dims` conditioning embeddings, one per sample (set by the routes from captions, or interpolated between two). */
  text?: Float32Array;
  /**
   * stackgan: the stage whose images are returned — 2, stage II's; 1, stage I's upsampled to the
   * data's size by Pillow's bicubic (the baseline stage II must beat). Default: stage II once it has
   * trained, else stage I.
   */
  stage?: 1 | 2;
}

/** A model under training. Its `variables` and `optimizers` are everything a checkpoint saves. */
export interface TrainableModel {
  /** Every trainable (and persistent non-trainable) variable, under a stable name. */
  readonly variables: ReadonlyMap<string, Variable>;
  /** Every optimiser, under a stable name (their slots are checkpointed too). */
  readonly optimizers: ReadonlyMap<string, Optimizer>;
  /**
   * One iteration of the family's algorithm. `batches` draws fresh real batches (families that
   * take several discriminator steps per generator step call it several times); `rng` is this
   * step's noise. Returns the step's losses (and any other per-step scalars) by name.
   */
  step(batches: () => Batch, rng: Rng): Record<string, number>;
  /** n × dims generated points. */
  sample(n: number, rng: Rng, opts?: SampleOptions): Float32Array;
  /** Family-specific evaluation on held-out data (VAE ELBO, flow log-likelihood, …). */
  evaluate?(heldOut: Batch, rng: Rng): Record<string, number>;
  /** Releases every tensor the model holds. */
  dispose(): void;
}

/** A registered family: its metadata, hyper-parameter schema and constructor. */
export interface FamilyDefinition<S extends HpSchema = HpSchema> {
  /** CLI name (`--model`). */
  readonly name: string;
  /** One line: what it is and where it comes from. */
  readonly title: string;
  /** Dataset used when `--data` is not given. */
  readonly defaultData: string;
  /**
   * Every hyper-parameter: type, allowed values, default per data kind (2-D points, images) and
   * help (batchSize and lr included). Defaults, checks, `train --list` and the docs derive from it.
   */
  readonly hyperParams: S;
  /**
   * What the samples are conditioned on; the data the family needs (conditionNeeds), the options
   * of `sample` and how evaluation draws follow from it.
   */
  readonly condition: Condition;
  /**
   * Default evaluation period in steps, when it differs from the loop's (a family whose sampling
   * is costly, like DDPM's T network passes, evaluates less often).
   */
  readonly evalEvery?: number;
  /**
   * The keys the family reports (`step`'s losses, `evaluate`'s numbers) that the metric table
   * does not have built in, with label and direction: registered into the table when the
   * families load (families/index.ts) and recorded in each run's config.json.
   */
  readonly metrics: Readonly<Record<string, MetricSpec>>;
  create(ctx: ModelContext<HpValues<S>>): TrainableModel;
}
