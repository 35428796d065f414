/**
 * What a family's samples are conditioned on, declared once in its definition (`condition`). The
 * data a run needs (labels, a second domain, captions), the options `sample` takes and how an
 * evaluation draws its samples all follow from this declaration (train/condition-routes.ts), so a
 * new family of an existing kind needs no edit outside its own file.
 *
 * - none: samples come from noise alone (GAN, VAE, DDPM, flow).
 * - label: a class label of the data (Mirza & Osindero's conditional GAN); needs labelled data.
 * - code: a latent code the model learns to make meaningful without labels (InfoGAN); where the
 *   code has a categorical part, `sample` can fix it.
 * - image: a sample of a source domain translated into a target domain (CycleGAN unpaired; pix2pix
 *   and SRGAN, paired, would pair each input with its target). On 2-D data the "image" is a point.
 * - text: a caption (GAN-CLS, StackGAN); needs captioned data.
 *
 * Loads no TensorFlow.js (the catalog and the command line's options read it).
 */

/** A domain of a two-domain run: `a` is the run's `data`, `b` its hyper-parameter `dataB`. */
export type Domain = 'a' | 'b';

/** A family's declared condition: its kind, and what that kind needs to be told (see the module comment). */
export type Condition =
  | { readonly kind: 'none' }
  | { readonly kind: 'label' }
  | {
      readonly kind: 'code';
      /** The hyper-parameter holding the number of values of the categorical code (`sample`'s `code` fixes it); absent: none. */
      readonly categorical?: string;
    }
  | {
      readonly kind: 'image';
      /** Whether each input comes with its target (paired data) or the domains are independent samples. */
      readonly paired: boolean;
      /** The domains an input may come from, the default first; each translates into the other. */
      readonly from: readonly [Domain, ...Domain[]];
      /**
       * Paired super-resolution: the target has `scale` times the input's side, and an unpaired
       * image data set is paired by downsampling each image ×`scale` (Pillow's bicubic) into its input.
       */
      readonly scale?: number;
    }
  | { readonly kind: 'text' };

/** What samples are conditioned on: 'none' | 'label' | 'code' | 'image' | 'text'. */
export type ConditionKind = Condition['kind'];

/** Every kind, in the order help and errors list them. */
export const CONDITION_KINDS: readonly ConditionKind[] = ['none', 'label', 'code', 'image', 'text'];

/** The data a run of a family needs beyond its samples: what its condition implies. */
export interface ConditionNeeds {
  /** The data's class (mode) labels: `DataInfo.classes`. */
  readonly labels: boolean;
  /** A second data set, hyper-parameter `dataB` (the target domain of an unpaired translation). */
  readonly secondDomain: boolean;
  /** Paired data: each sample (target) with its input image (edges2fashion, `dataPairs`, super-resolution pairs). */
  readonly pairs: boolean;
  /** A caption per sample. */
  readonly captions: boolean;
}

/** What a run of a family with this condition needs of its data. */
export function conditionNeeds(c: Condition): ConditionNeeds {
  const image = c.kind === 'image';
  return { labels: c.kind === 'label', secondDomain: image && !c.paired, pairs: image && c.paired, captions: c.kind === 'text' };
}

/** The condition options of `sampleRun` (and of `gen-eval sample`, as `--label`, `--code`, …). */
export type ConditionOption = 'label' | 'code' | 'from' | 'input' | 'caption' | 'captions' | 'interpolate';

/**
 * The options that set each kind's condition when sampling; every other condition option is
 * refused. `input` covers `SampleRunOptions.input` and `.inputPath` (points given, or a file).
 */
export const CONDITION_OPTIONS: Readonly<Record<ConditionKind, readonly ConditionOption[]>> = {
  none: [],
  label: ['label'],
  code: ['code'],
  image: ['from', 'input'],
  text: ['caption', 'captions', 'interpolate'],
};

/** What each kind conditions on, in words (help and error messages). */
export const CONDITION_WORDS: Readonly<Record<ConditionKind, string>> = {
  none: 'noise alone',
  label: 'a class label',
  code: 'a latent code',
  image: 'a source-domain sample',
  text: 'a caption',
};

/** The kinds whose samples `option` sets. */
export function kindsTaking(option: ConditionOption): ConditionKind[] {
  return CONDITION_KINDS.filter((k) => CONDITION_OPTIONS[k].includes(option));
}
