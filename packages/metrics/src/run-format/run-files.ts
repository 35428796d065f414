/**
 * The files of a run folder (docs/run-format.md; names in ./run-paths.ts): their types, and the
 * readers and writers the trainer, `gen-eval sample` and the report share. Nothing here needs
 * TensorFlow. Every file is written whole and renamed into place (writeFileAtomic), so a run
 * killed at any instant — even with kill -9 — leaves only complete files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { inputError, type GenEvalError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { RUN_FORMAT, runPaths } from './run-paths.js';

/**
 * Options that shape a data set. Each applies only where it makes sense (others are ignored and
 * not recorded): `imageSize` to image sets, `channels` to image folders, `dataDir` to fashion-mnist.
 */
export interface DatasetOptions {
  /** Side of the square images the model sees: 28, 32 or 64 (default 28; folders: see imageFolderDataset). */
  readonly imageSize?: number;
  /** Image folders: 1 or 3 (default: 1 when every image is grey, else 3). */
  readonly channels?: number;
  /** fashion-mnist: the folder of its IDX .gz files (default /usr/share/datasets/fashion-mnist). */
  readonly dataDir?: string;
}

/**
 * What a run's config.json records as `data`: the name, the file's or folder's SHA-256, and the
 * options that shaped the set — `resolveDataset(r.name, r)` / `loadDataset(r.name, r)` of
 * @gen-eval/models gives the same data back.
 */
export interface DataRecord extends DatasetOptions {
  readonly name: string;
  readonly sha256?: string;
  /** Paired folders (`dataPairs`): the folder of targets matched by relative file name with the inputs in `name`. */
  readonly targets?: DataRecord;
}

/** A run's hyper-parameters: flat and JSON-serialisable, `batchSize` and `lr` always among them. */
export type RunHyperParams = Record<string, number | string | boolean> & { batchSize: number; lr: number };

/** config.json. */
export interface RunConfig {
  readonly format: typeof RUN_FORMAT.format;
  readonly version: number;
  readonly model: string;
  readonly title: string;
  /** The data set: a built-in name, a .npy path or an image folder (with its SHA-256), and the options that shaped it. */
  readonly data: DataRecord;
  /** Two-domain families: the second domain. */
  readonly dataB?: DataRecord;
  /** Captioned data: the encoder whose caption embeddings condition the model (e.g. `text-cond-mnist`); sampling by caption uses it too. */
  readonly textEncoder?: string;
  /** Every hyper-parameter, defaults included (batchSize, lr and the family's own). */
  readonly hp: RunHyperParams;
  readonly seed: number;
  /** Target number of steps (null: until the time budget runs out). */
  readonly steps: number | null;
  /** Seconds of training (evaluation excluded) this run may use, or null. */
  readonly timeBudget: number | null;
  readonly evalEvery: number;
  /** Samples generated per evaluation. */
  readonly evalSamples: number;
  /** Image runs: held-out real images per evaluation (absent for 2-D runs). */
  readonly evalReal?: number;
  /** The backend asked for, the one that ran, and why the others were skipped. */
  readonly backend: { readonly requested: string; readonly choice: string; readonly skipped: readonly { choice: string; reason: string }[] };
  /**
   * The family's own metric keys (its losses) with label, direction, range (null: unbounded),
   * unit and kind, as the metric table takes them: readers that do not load the models (the
   * report, the gate) learn them here. Absent in runs of older versions.
   */
  readonly metrics?: Readonly<Record<string, RecordedMetric>>;
  /**
   * Image runs of a family conditioned on a label, a categorical code or a source image: what the
   * rows and columns of its condition grids (samples/step-N-condition.png) show. Absent otherwise,
   * and in runs of older versions.
   */
  readonly conditionGrid?: ConditionGridRecord;
  /**
   * Values of a fixed method the run's metrics should be compared with, measured once per run on
   * the same held-out data (super-resolution runs: `bicubic`, Pillow's bicubic upsampling of the
   * held-out inputs), by name. Absent otherwise, and in runs of older versions.
   */
  readonly baselines?: Readonly<Record<string, RunBaseline>>;
  /** Versions of gen-eval, TensorFlow.js and Node that made the run. */
  readonly versions: Readonly<Record<string, string>>;
  readonly created: string;
}

/** A metric spec as config.json records it (JSON has no infinities: an open end is null). */
export interface RecordedMetric {
  readonly label: string;
  readonly direction: 'higher' | 'lower' | 'none';
  readonly range: readonly [min: number | null, max: number | null];
  readonly unit: string;
  readonly kind: 'quality' | 'loss' | 'spread';
}

/**
 * What a condition grid shows, as config.json records it: the family's condition kind, what each
 * row is (top to bottom) and what the columns are, in words a caption can use as they are.
 */
export interface ConditionGridRecord {
  /** The family's condition kind (packages/models/src/condition.ts). */
  readonly kind: string;
  /** One entry per row of images, top to bottom: `class 3`, `categorical code 3`, `input (domain A: mnist)`. */
  readonly rows: readonly string[];
  /** What the columns are, e.g. `8 draws, the same noise down each column`. */
  readonly columns: string;
}

/**
 * The condition grid record of a run's config (undefined when absent: unconditioned runs, runs
 * of older versions); a malformed one is a one-line error naming `file` (config.json).
 */
export function conditionGridOf(config: RunConfig, file: string): ConditionGridRecord | undefined {
  const g = (config as { conditionGrid?: unknown }).conditionGrid;
  if (g === undefined) return undefined;
  const { kind, rows, columns } = (isObject(g) ? g : {}) as Record<string, unknown>;
  const ok = typeof kind === 'string' && Array.isArray(rows) && rows.length > 0 && rows.every((r) => typeof r === 'string') && typeof columns === 'string';
  if (!ok) throw inputError(file, '"conditionGrid" must be {"kind": "<text>", "rows": ["<text>", …], "columns": "<text>"}');
  return { kind: kind as string, rows: rows as string[], columns: columns as string };
}

/** A baseline of a run (config.json `baselines`): what it is, in words, and its value of each metric key. */
export interface RunBaseline {
  readonly label: string;
  readonly metrics: Readonly<Record<string, number | null>>;
}

/** The baselines of a run's config ({} when absent); a malformed entry is a one-line error naming `file` (config.json). */
export function baselinesOf(config: RunConfig, file: string): Readonly<Record<string, RunBaseline>> {
  const b = (config as { baselines?: unknown }).baselines;
  if (b === undefined) return {};
  const ok =
    isObject(b) &&
    Object.values(b).every((e) => isObject(e) && typeof e.label === 'string' && isObject(e.metrics) && Object.values(e.metrics).every((v) => v === null || typeof v === 'number'));
  if (!ok) throw inputError(file, '"baselines" must be {"<name>": {"label": "<text>", "metrics": {"<key>": <number or null>, …}}, …}');
  return b as Record<string, RunBaseline>;
}

/** One line of metrics.jsonl. */
export interface MetricRecord {
  readonly step: number;
  /** Seconds of training (evaluation excluded) when the metric was taken. */
  readonly elapsed: number;
  readonly metric: string;
  readonly value: number | null;
}

/** summary.json. */
export interface RunSummary {
  readonly model: string;
  readonly data: string;
  readonly steps: number;
  /** Training-loop seconds, evaluation and checkpoints excluded. */
  readonly wall_seconds: number;
  readonly steps_per_second: number;
  readonly eval_seconds: number;
  /** The metrics of the last evaluation. */
  readonly metrics: Readonly<Record<string, number | null>>;
  /** True when the run stopped on a signal before its target. */
  readonly interrupted: boolean;
  /**
   * Present when training stopped because the model diverged: the step whose loss, samples or
   * weights were first non-finite, and what was. The latest checkpoint is the last finite one.
   */
  readonly diverged?: { readonly step: number; readonly reason: string };
  readonly backend: string;
}

/** Writes a JSON file atomically, pretty-printed. */
export function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Reads and parses a JSON file, with one-line errors naming the file. */
export function readJson<T>(path: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw inputError(path, code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(err)})`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw inputError(path, `not valid JSON (${(err as Error).message})`);
  }
}

/** The config of a run directory, checked to be one. */
export function readRunConfig(dir: string): RunConfig {
  const p = runPaths(dir).config;
  if (!existsSync(dir)) throw inputError(dir, 'no such run directory');
  if (!existsSync(p)) throw inputError(dir, 'not a gen-eval run (no config.json)');
  const c = readJson<Partial<RunConfig>>(p);
  if (c.format !== RUN_FORMAT.format) throw inputError(p, `not a gen-eval run config (format is ${JSON.stringify(c.format)})`);
  if (c.version !== RUN_FORMAT.version) throw inputError(p, `run format version ${c.version} is not supported (this gen-eval reads version ${RUN_FORMAT.version})`);
  return c as RunConfig;
}

/**
 * Checks that a run's config has every field that training and sampling need, of the right type
 * (the report reads runs with less); one-line errors name config.json.
 */
export function checkRunConfig(dir: string, config: RunConfig): void {
  const problem = configProblem(config);
  if (problem) throw configError(runPaths(dir).config, problem);
}

/** An error in a run's config.json (one the run itself wrote, so most likely edited since). */
export function configError(path: string, problem: string): GenEvalError {
  return inputError(path, `${problem} (was config.json edited? gen-eval train writes it)`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown, min: number) => Number.isInteger(v) && (v as number) >= min;

/** What is wrong with the fields of a config.json (null: nothing); the families check the hyper-parameters' names and values. */
function configProblem(c: Partial<RunConfig>): string | null {
  const fields = c as Record<string, unknown>;
  if (typeof c.model !== 'string') return '"model" is missing or not a name';
  for (const key of ['data', 'dataB'] as const) {
    const d = fields[key];
    if ((key === 'data' || d !== undefined) && !(isObject(d) && typeof d.name === 'string' && d.name !== '')) return `"${key}" is missing or has no "name"`;
    const t = isObject(d) ? d.targets : undefined;
    if (t !== undefined && !(isObject(t) && typeof t.name === 'string' && t.name !== '')) return `"${key}.targets" is not an object with a "name"`;
  }
  if (!isObject(c.hp) || !Object.values(c.hp).every((v) => ['number', 'string', 'boolean'].includes(typeof v)))
    return '"hp" is missing or not an object of numbers, strings and booleans';
  if (!isCount(c.seed, 0) || (c.seed as number) > 0xffffffff) return '"seed" is missing or not an integer from 0 to 4294967295';
  if (c.steps !== null && !isCount(c.steps, 1)) return '"steps" is not a positive integer or null';
  if (c.timeBudget !== null && !(typeof c.timeBudget === 'number' && c.timeBudget > 0 && Number.isFinite(c.timeBudget)))
    return '"timeBudget" is not a number of seconds > 0 or null';
  if (c.steps === null && c.timeBudget === null) return '"steps" and "timeBudget" are both null';
  if (!isCount(c.evalEvery, 1)) return '"evalEvery" is not a positive integer';
  if (!isCount(c.evalSamples, 2)) return '"evalSamples" is not an integer ≥ 2';
  if (c.evalReal !== undefined && !isCount(c.evalReal, 0)) return '"evalReal" is not a count';
  if (!isObject(c.backend) || typeof c.backend.choice !== 'string') return '"backend" is missing or has no "choice"';
  return null;
}

/** Parses metrics.jsonl; a bad line is an error naming the file and the line. */
export function parseMetricsJsonl(text: string, file: string): MetricRecord[] {
  const out: MetricRecord[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let r: MetricRecord;
    try {
      r = JSON.parse(line) as MetricRecord;
    } catch {
      throw inputError(`${file}:${i + 1}`, 'not a JSON object');
    }
    const ok = r && typeof r === 'object' && Number.isInteger(r.step) && typeof r.metric === 'string' && (r.value === null || typeof r.value === 'number');
    if (!ok) throw inputError(`${file}:${i + 1}`, 'expected {"step": int, "elapsed": s, "metric": name, "value": number|null}');
    out.push(r);
  });
  return out;
}

/** Reads a run's metrics.jsonl (empty when the run has not evaluated yet). */
export function readMetrics(dir: string): MetricRecord[] {
  const p = runPaths(dir).metrics;
  if (!existsSync(p)) return [];
  return parseMetricsJsonl(readFileSync(p, 'utf8'), p);
}

/** Rewrites metrics.jsonl whole (atomically: a kill can never leave half a line). */
export function writeMetrics(dir: string, records: readonly MetricRecord[]): void {
  writeFileAtomic(runPaths(dir).metrics, records.map((r) => JSON.stringify(r)).join('\n') + (records.length ? '\n' : ''));
}
