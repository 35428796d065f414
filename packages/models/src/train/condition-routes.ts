/**
 * What the loop, evaluation and `sampleRun` do with a family's declared condition (condition.ts),
 * one branch per kind: which data a run needs, what an evaluation feeds `sample`, how an image
 * run's condition grid is laid out, and which sampling options a run takes. Nothing here names a
 * family: a new family of an existing kind needs no edit outside its own file.
 */
import { GenEvalError, inputError, internalError, orList, usageError } from '@gen-eval/metrics/errors';
import { CONDITION_OPTIONS, CONDITION_WORDS, kindsTaking, type Condition, type ConditionOption, type Domain } from '../condition.js';
import type { Batch, HyperParams, SampleOptions, TrainableModel } from '../family.js';
import type { Dataset } from '../data/datasets.js';
import type { ImageShape } from '../data/image-set.js';
import { familiesTaking } from '../catalog.js';
import { Rng } from '../rng.js';
import { readSampleInput, type SampleSource } from './sample-input.js';
import type { EvalCondition } from './evaluate.js';
import { CONDITION_GRID_COLUMNS, rowPerValue, type ConditionGrid } from './condition-grid.js';
import { captionGrid, heldOutCaptions, textRequest, type TextRequest } from './text-routes.js';

export { CONDITION_GRID_COLUMNS, CONDITION_GRID_ROWS, type ConditionGrid } from './condition-grid.js';

/** What of a run's plan (setup.ts) the routes read. */
export interface ConditionPlan {
  readonly family: { readonly condition: Condition };
  readonly data: Dataset;
  readonly dataB?: Dataset;
  readonly hp: HyperParams;
}

/** The paired sets a paired family trains on, in its refusals. */
const PAIRED_WORDS = 'edges2fashion, edges2shoes, edges2digits or `dataPairs` A/ B/';

/**
 * Refuses data that lacks what the family's condition needs (labels, paired inputs, captions), and
 * paired data for a family that has no use for the inputs (it would silently drop them: train it on
 * the targets' own set instead). `family` names it; `data` is the run's set after super-resolution
 * pairing (setup.ts).
 */
export function checkConditionData(family: string, condition: Condition, data: Dataset): void {
  if (condition.kind === 'label' && !data.classes) throw usageError(`${family} needs data with modes as labels (ring, ring-easy, grid, mnist, …); "${data.name}" has none`);
  if (condition.kind === 'text' && !(data.text && data.image))
    throw usageError(`${family} draws images for captions: use a captioned image data set (captioned-mnist, captioned-fashion); "${data.name}" has no captions`, {
      options: ['data'],
    });
  const paired = condition.kind === 'image' && condition.paired;
  if (!paired) {
    if (data.input)
      throw usageError(`${family} does not take paired data: "${data.name}" pairs each image with an input; train it on the images alone (e.g. fashion-mnist, mnist or a folder)`);
    return;
  }
  const scale = condition.scale;
  if (!data.input) {
    throw usageError(
      scale
        ? `${family} needs image data (mnist, fashion-mnist or a folder, paired by downsampling ×${scale}) or paired data (\`dataPairs\` LOW/ HIGH/); "${data.name}" is neither`
        : `${family} translates paired images: use ${PAIRED_WORDS}; "${data.name}" is unpaired`,
      { options: ['data', 'dataPairs'] },
    );
  }
  const { image: inp } = data.input;
  const out = data.image!;
  const k = scale ?? 1;
  if (inp.height * k !== out.height || inp.width * k !== out.width) {
    throw usageError(
      `${family} needs targets ${k === 1 ? "of the inputs' size" : `×${k} the inputs' side`}; "${data.name}" pairs ${inp.height}×${inp.width} inputs with ${out.height}×${out.width} targets`,
      { options: ['data', 'dataPairs'] },
    );
  }
}

/** The data set of a domain of the run. */
function domainData(plan: Pick<ConditionPlan, 'data' | 'dataB'>, d: Domain): Dataset {
  const set = d === 'a' ? plan.data : plan.dataB;
  if (!set) throw internalError('a translation run without its second domain (dataB)');
  return set;
}

/** The domain a translation from `d` goes to. */
const otherDomain = (d: Domain): Domain => (d === 'a' ? 'b' : 'a');

/** Values of a code condition's categorical part in this run (0: it has none). */
function categoricalCount(c: Extract<Condition, { kind: 'code' }>, hp: HyperParams): number {
  return c.categorical === undefined ? 0 : Number(hp[c.categorical]);
}

/** The data an evaluation's samples should match: the target domain of an unpaired translation, else the data (a paired set's samples are its targets). */
export function evalTarget(plan: ConditionPlan): Dataset {
  const c = plan.family.condition;
  return c.kind === 'image' && !c.paired ? domainData(plan, otherDomain(c.from[0])) : plan.data;
}

/** The inputs of a paired run's data (`Dataset.input`), as a source of samples of their own shape. */
export function pairedInputs(plan: Pick<ConditionPlan, 'data'>): { readonly name: string; readonly dims: number; readonly image: ImageShape } {
  const input = plan.data.input;
  if (!input) throw internalError(`a paired run on ${plan.data.name}, which pairs no inputs with its samples`);
  return { name: `${plan.data.name} (inputs)`, dims: input.dims, image: input.image };
}

/** n held-out pairs of a paired data set (its training pairs where it has no held-out split). */
export function heldOutPairs(data: Dataset, n: number, rng: Rng): Batch & { readonly input: Float32Array } {
  const b = data.heldOut ? data.heldOut(n, rng) : data.sample(n, rng);
  if (!b.input) throw internalError(`${data.name} drew a batch without its inputs`);
  return b as Batch & { readonly input: Float32Array };
}

/**
 * What an evaluation passes to `sample` for m samples: an unpaired translation gets m fresh samples
 * of its default source domain, a text run the embeddings of m held-out captions, the captions
 * and their classes (class and attribute accuracy; each drawn from `rng` before the model's noise); every other kind samples its condition as in training (cgan:
 * uniform labels), so `undefined`. A paired run translates the fixed held-out inputs of its
 * evaluation reference instead (evaluate.ts), never fresh ones.
 */
export function evalCondition(plan: ConditionPlan): EvalCondition {
  const c = plan.family.condition;
  if (c.kind === 'text')
    return (m, rng) => {
      const b = heldOutCaptions(plan.data, m, rng);
      return { options: { text: b.text }, captions: b.captions, ...(b.labels ? { labels: b.labels } : {}) };
    };
  if (c.kind !== 'image' || c.paired) return () => undefined;
  const from = c.from[0];
  const source = domainData(plan, from);
  return (m, rng) => ({ options: { from, input: source.sample(m, rng).x } });
}

/**
 * The condition grid of an image run, laid out by the family's declared kind (undefined: the kind
 * has none, or the run is not on images): label → one row per class; code → one row per value of
 * the categorical code; image → held-out source inputs (top row) above their translations, drawn
 * once per run from the `condition-grid` stream; text → one row per class, each a held-out caption of it.
 */
export function conditionGrid(plan: ConditionPlan, seed: number): ConditionGrid | undefined {
  const c = plan.family.condition;
  const target = evalTarget(plan);
  if (!target.image) return undefined;
  switch (c.kind) {
    case 'none':
      return undefined;
    case 'text':
      return captionGrid(plan.data, seed);
    case 'label': {
      const names = plan.data.classNames;
      const name = (v: number) => `class ${v}${names?.[v] !== undefined && names[v] !== String(v) ? ` (${names[v]})` : ''}`;
      return rowPerValue(
        'label',
        seed,
        Array.from({ length: plan.data.classes ?? 0 }, (_, v) => name(v)),
        (label) => ({ label }),
      );
    }
    case 'code': {
      const count = categoricalCount(c, plan.hp);
      return rowPerValue(
        'code',
        seed,
        Array.from({ length: count }, (_, v) => `categorical code ${v}`),
        (label) => ({ label }),
      );
    }
    case 'image':
      return c.paired ? pairTriplets(plan, seed) : translationPairs(plan, c.from[0], target, seed);
  }
}

/**
 * A paired run's (input | output | target) triplets: 8 held-out pairs drawn once per run from the
 * `condition-grid` stream, inputs on top, the model's outputs in the middle, the targets below.
 * An input smaller than its target (super-resolution) is shown enlarged by pixel repetition, so
 * every tile lines up with the pixels it was made from; a grey input of a colour target, as grey RGB.
 */
function pairTriplets(plan: ConditionPlan, seed: number): ConditionGrid | undefined {
  const target = plan.data.image!;
  const input = pairedInputs(plan);
  const factor = target.height / input.image.height;
  const fits = Number.isInteger(factor) && factor >= 1 && target.width === input.image.width * factor;
  if (!fits || (input.image.channels !== target.channels && input.image.channels !== 1)) return undefined;
  const cols = CONDITION_GRID_COLUMNS;
  const shown = factor > 1 ? `, shown ×${factor} by pixel repetition` : '';
  const describe = (s: ImageShape) => `${s.height}×${s.width}`;
  let pairs: ReturnType<typeof heldOutPairs> | undefined; // drawn at the first draw: a grid made only for its record costs nothing
  return {
    record: {
      kind: 'image',
      rows: [`input (${describe(input.image)}${shown})`, 'output (the model’s translation of the input above)', `target (${plan.data.name}, ${describe(target)})`],
      columns: `${cols} held-out pairs, each input above its output above its target`,
    },
    cols,
    draw(model) {
      pairs ??= heldOutPairs(plan.data, cols, Rng.stream(seed, 'condition-grid'));
      const out = new Float32Array(3 * pairs.x.length);
      out.set(enlarge(pairs.input, input.image, factor, target.channels));
      out.set(model.sample(cols, Rng.stream(seed, 'condition-grid'), { input: pairs.input }), pairs.x.length);
      out.set(pairs.x, 2 * pairs.x.length);
      return out;
    },
  };
}

/** NHWC images of `shape` enlarged `factor` times by pixel repetition, one channel repeated into `channels`. */
export function enlarge(x: Float32Array, shape: ImageShape, factor: number, channels: number): Float32Array {
  const { height: h, width: w, channels: c } = shape;
  const n = x.length / (h * w * c);
  const H = h * factor;
  const W = w * factor;
  const out = new Float32Array(n * H * W * channels);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < H; y++)
      for (let xx = 0; xx < W; xx++) {
        const src = ((i * h + Math.floor(y / factor)) * w + Math.floor(xx / factor)) * c;
        const dst = ((i * H + y) * W + xx) * channels;
        for (let ch = 0; ch < channels; ch++) out[dst + ch] = x[src + (c === 1 ? 0 : ch)]!;
      }
  return out;
}

/** Held-out inputs of domain `from` (top row) above their translations into `target` (bottom row), one pair a column. */
function translationPairs(plan: ConditionPlan, from: Domain, target: Dataset, seed: number): ConditionGrid | undefined {
  const source = domainData(plan, from);
  const shape = source.image;
  // Both rows are tiled into one picture: the domains' images must have one shape.
  if (!shape || shape.height !== target.image!.height || shape.width !== target.image!.width || shape.channels !== target.image!.channels) return undefined;
  const cols = CONDITION_GRID_COLUMNS;
  let inputs: Float32Array | undefined; // drawn at the first draw: a grid made only for its record costs nothing
  const domain = (d: Domain, set: Dataset) => `domain ${d.toUpperCase()}: ${set.name}`;
  const to = otherDomain(from);
  return {
    record: { kind: 'image', rows: [`input (${domain(from, source)})`, `translation (${domain(to, target)})`], columns: `${cols} held-out inputs, each above its translation` },
    cols,
    draw(model) {
      const rng = Rng.stream(seed, 'condition-grid');
      const input = (inputs ??= (source.heldOut ? source.heldOut(cols, rng) : source.sample(cols, rng)).x);
      const out = new Float32Array(2 * input.length);
      out.set(input);
      out.set(model.sample(cols, Rng.stream(seed, 'condition-grid'), { from, input }), input.length);
      return out;
    },
  };
}

/** The condition options of a `sampleRun` request (SampleRunOptions' fields of the same names). */
export interface ConditionRequest {
  label?: number;
  code?: number;
  from?: Domain;
  input?: { data: Float32Array; rows: number; cols: number; name: string };
  inputPath?: string;
  caption?: string;
  /** A captions file: one caption per line, `n` samples each. */
  captions?: string;
  /** With `caption`: the caption an interpolation of the text codes ends at (n steps, one noise). */
  interpolate?: string;
}

/** A checked request: the number of samples and, given the draw's Rng, the options for `sample`. */
export interface SampleCondition {
  readonly n: number;
  readonly notes: readonly string[];
  /** Inputs read from a folder: each row's path relative to it (an output folder mirrors them). */
  readonly files?: readonly string[];
  options(rng: Rng): SampleOptions;
  /**
   * Text runs: draws the samples itself with the sample stream (`rng()` a fresh copy of it), and
   * says which caption each row was drawn for (an interpolation draws row by row with one noise).
   */
  draw?(model: Pick<TrainableModel, 'sample'>, rng: () => Rng): { points: Float32Array; captions: readonly string[] };
}

const given = (o: ConditionRequest): ConditionOption[] => {
  const g: ConditionOption[] = [];
  if (o.label !== undefined) g.push('label');
  if (o.code !== undefined) g.push('code');
  if (o.from !== undefined) g.push('from');
  if (o.input !== undefined || o.inputPath !== undefined) g.push('input');
  if (o.caption !== undefined) g.push('caption');
  if (o.captions !== undefined) g.push('captions');
  if (o.interpolate !== undefined) g.push('interpolate');
  return g;
};

/** The one-line refusal of `option` for a run of `model` (conditioned on `condition`). */
function notTaken(option: ConditionOption, dir: string, model: string, condition: Condition): GenEvalError {
  const kinds = kindsTaking(option);
  const families = familiesTaking(option);
  const takes = CONDITION_OPTIONS[condition.kind];
  const own = takes.map((k) => `\`${k}\``);
  return usageError(
    `\`${option}\` applies to models conditioned on ${orList(kinds.map((k) => CONDITION_WORDS[k]))} (${families.length ? families.join(', ') : 'none registered'}); ` +
      `${dir} is a run of ${model}, conditioned on ${CONDITION_WORDS[condition.kind]}${own.length ? ` (it takes ${orList(own)})` : ''}`,
    { options: [option, ...takes] },
  );
}

/** An integer in [0, count) or the one-line error naming `option` and `what` counts. */
function checkIndex(option: ConditionOption, v: number, count: number, what: string): void {
  if (!Number.isInteger(v) || v < 0 || v >= count) throw usageError(`\`${option}\` must be an integer from 0 to ${count - 1} (${what}), got "${v}"`, { options: [option] });
}

/**
 * Checks the condition options of a `sampleRun` request against the run's declared condition and
 * reads an input file (before any checkpoint is loaded: a bad request costs nothing). `n` is the
 * requested count; a translation of given inputs draws one sample per input row.
 */
export async function sampleCondition(plan: ConditionPlan, dir: string, model: string, n: number, o: ConditionRequest): Promise<SampleCondition> {
  const c = plan.family.condition;
  for (const option of given(o)) if (!CONDITION_OPTIONS[c.kind].includes(option)) throw notTaken(option, dir, model, c);
  switch (c.kind) {
    case 'none':
      return { n, notes: [], options: () => ({}) };
    case 'label': {
      if (o.label !== undefined) checkIndex('label', o.label, plan.data.classes ?? 0, `the modes of ${plan.data.name}`);
      const label = o.label;
      return { n, notes: [], options: () => (label !== undefined ? { label } : {}) };
    }
    case 'code': {
      // The family's sample reads the categorical code's value as `label`.
      const code = o.code;
      if (code !== undefined) {
        const count = categoricalCount(c, plan.hp);
        if (!(count > 0))
          throw usageError(`\`code\` fixes the categorical code, and this run of ${model} has none${c.categorical ? ` (${c.categorical}=0)` : ''}`, { options: ['code'] });
        checkIndex('code', code, count, `the values of its categorical code, ${c.categorical}=${count}`);
      }
      return { n, notes: [], options: () => (code !== undefined ? { label: code } : {}) };
    }
    case 'image': {
      const from = o.from ?? c.from[0];
      if (!c.from.includes(from)) throw usageError(`\`from\` must be ${orList(c.from)} for a run of ${model}, got "${from}"`, { options: ['from'] });
      if (c.paired) return pairedRequest(plan, n, o);
      const source = domainData(plan, from);
      const given = await givenInput(o, source, false);
      // Given inputs: one translation per row; else n fresh samples of the source domain.
      return given ? { ...given, options: () => ({ from, input: given.data }) } : { n, notes: [], options: (rng) => ({ from, input: source.sample(n, rng).x }) };
    }
    case 'text': {
      const r: TextRequest = {};
      if (o.caption !== undefined) r.caption = o.caption;
      if (o.captions !== undefined) r.captions = o.captions;
      if (o.interpolate !== undefined) r.interpolate = o.interpolate;
      return textRequest(plan.data, n, r);
    }
  }
}

/** The inputs a request gives (points, or a file or folder read as `source`'s samples), one translation per row; undefined: none given. */
async function givenInput(o: ConditionRequest, source: SampleSource & { name: string }, exactSize: boolean) {
  if (o.input) {
    if (o.input.cols !== source.dims) throw inputError(o.input.name, `has ${o.input.cols} columns, the model's ${exactSize ? 'inputs' : 'points'} have ${source.dims}`);
    return { data: o.input.data, n: o.input.rows, notes: [] };
  }
  if (o.inputPath === undefined) return undefined;
  const read = await readSampleInput(o.inputPath, source, { exactSize });
  return { data: read.data, n: read.rows, notes: read.notes, ...(read.files ? { files: read.files } : {}) };
}

/**
 * A paired run's request: given inputs (read at the shape of the data's inputs, never resized) are
 * translated one per row; without any, n held-out inputs of the run's data, drawn from the sample's Rng.
 */
async function pairedRequest(plan: ConditionPlan, n: number, o: ConditionRequest): Promise<SampleCondition> {
  const given = await givenInput(o, pairedInputs(plan), true);
  if (given) return { ...given, options: () => ({ input: given.data }) };
  const notes = [`no input given: translated ${n} held-out inputs of ${plan.data.name}`];
  return { n, notes, options: (rng) => ({ input: heldOutPairs(plan.data, n, rng).input }) };
}
