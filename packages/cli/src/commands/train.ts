/**
 * `gen-eval train` — trains a model family on 2-D data or images into a run directory
 * (docs/run-format.md), resumes one (`--resume`), or lists the families and data sets (`--list`).
 */
import { GenEvalError, orList, terminalJson, terminalText, usageError } from '@gen-eval/metrics/errors';
import {
  checkBackend,
  DATA_KINDS,
  DEFAULT_IMAGE_SIZE,
  FAMILIES,
  FASHION_MNIST_DIR,
  FASHION_MNIST_SETS,
  FOLDER_IMAGE_SIZE,
  hyperParamJson,
  hyperParamLines,
  IMAGE_EVAL_SAMPLES,
  IMAGE_SIZES,
  listDatasets,
  readMetrics,
  schemaDefaults,
  TRAIN_DEFAULTS,
  trainNew,
  trainResume,
  type NewRunOptions,
  type ResumeOptions,
  type RunSummary,
  type TrainEvent,
} from '@gen-eval/models';
import { cliMessage, flagOf } from '../cli-wording.js';
import { EXIT } from '../exit-codes.js';
import { warn, type OutputOptions } from '../output.js';
import { SIGNAL_EXIT } from '../signal-cleanup.js';
import { metricsLine, trainProgress } from '../train-progress.js';

export interface TrainCommandOptions extends OutputOptions {
  model?: string;
  data?: string;
  steps?: number;
  timeBudget?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
  evalEvery?: number;
  evalSamples?: number;
  imageSize?: number;
  dataDir?: string;
  dataPairs?: string[];
  backend?: string;
  out?: string;
  force?: boolean;
  resume?: string;
  list?: boolean;
  hp?: string[];
}

/** Hyper-parameters that have their own flag: setting one both ways would leave one silently unused. */
const HP_FLAGS: Readonly<Record<string, keyof TrainCommandOptions>> = { batchSize: 'batchSize', lr: 'lr' };

/** --hp NAME=VALUE items, each name once, and none that its own flag also sets. */
function parseHp(list: readonly string[] = [], opts: TrainCommandOptions = {}): Record<string, string> {
  const hp: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw usageError(`--hp expects NAME=VALUE, got "${item}"`);
    const name = item.slice(0, eq);
    if (Object.hasOwn(hp, name)) throw usageError(`--hp ${name} is given twice (${name}=${hp[name]} and ${item}); give it once`);
    const flag = HP_FLAGS[name];
    if (flag !== undefined && opts[flag] !== undefined) throw usageError(`--hp ${item} and ${flagOf(flag)} ${String(opts[flag])} both set ${name}; give one`);
    hp[name] = item.slice(eq + 1);
  }
  return hp;
}

function listText(): string {
  const lines = ['models, each hyper-parameter as NAME=default (images: default on images), its allowed values and what it sets (set with --hp NAME=VALUE, --batch-size, --lr):'];
  for (const f of FAMILIES) {
    lines.push(`  ${f.name.padEnd(9)} ${f.title}`);
    lines.push(`  ${''.padEnd(9)} data ${f.defaultData}${f.evalEvery ? `; evaluates every ${f.evalEvery} steps` : ''}`);
    for (const l of hyperParamLines(f)) lines.push(`  ${''.padEnd(9)}   ${l}`);
  }
  lines.push('data sets (--data NAME, --data FILE.npy with N×2 points, --data DIR, a folder of images, or for paired models --data-pairs INPUTS/ TARGETS/):');
  // Descriptions name the library's options (`dataDir`); the list shows their flags.
  for (const d of listDatasets()) lines.push(`  ${d.name.padEnd(14)} ${cliMessage({ message: d.description, options: ['dataDir'] })}`);
  lines.push(
    `loop defaults: --steps ${TRAIN_DEFAULTS.steps} (unless --time-budget), --eval-every ${TRAIN_DEFAULTS.evalEvery}, --eval-samples ${TRAIN_DEFAULTS.evalSamples} (images: ${IMAGE_EVAL_SAMPLES}, against twice as many held-out images), --seed ${TRAIN_DEFAULTS.seed}, --backend ${TRAIN_DEFAULTS.backend}`,
  );
  lines.push(
    `image data: --image-size ${IMAGE_SIZES.join('|')} (default ${DEFAULT_IMAGE_SIZE}; a folder: its images' size when that is one of these, else ${FOLDER_IMAGE_SIZE}), --data-dir DIR for ${orList(FASHION_MNIST_SETS)} (default ${FASHION_MNIST_DIR})`,
  );
  return lines.join('\n');
}

/**
 * A family in `--list --json`: every hyper-parameter with its type, allowed values, default per
 * data kind and help, and the whole default set per data kind.
 */
function modelJson(f: (typeof FAMILIES)[number]) {
  return {
    name: f.name,
    title: f.title,
    defaultData: f.defaultData,
    evalEvery: f.evalEvery ?? TRAIN_DEFAULTS.evalEvery,
    hyperParams: Object.fromEntries(Object.entries(f.hyperParams).map(([k, spec]) => [k, hyperParamJson(spec)])),
    defaults: Object.fromEntries(DATA_KINDS.map((kind) => [kind, schemaDefaults(f.hyperParams, kind)])),
  };
}

/** The signals that stop a run with a checkpoint (their exit statuses: signal-cleanup.ts). */
const STOP_SIGNALS = Object.keys(SIGNAL_EXIT) as (keyof typeof SIGNAL_EXIT)[];

/** The flags a new run and a resumed one share: each passed on under its own name when given. */
const RUN_FLAGS = ['model', 'data', 'steps', 'timeBudget', 'seed', 'evalEvery', 'evalSamples', 'imageSize', 'dataDir'] as const satisfies readonly (keyof TrainCommandOptions &
  keyof ResumeOptions)[];

/** The library's options for the flags given (a new run adds out/force, a resume its folder). */
function runOptions(opts: TrainCommandOptions, backend: NewRunOptions['backend'], hp: Record<string, string | number>): Omit<ResumeOptions, 'resume'> {
  const o = Object.fromEntries(RUN_FLAGS.flatMap((k) => (opts[k] === undefined ? [] : [[k, opts[k]]]))) as Omit<ResumeOptions, 'resume'>;
  if (opts.dataPairs !== undefined) o.dataPairs = dataPairs(opts.dataPairs);
  if (backend !== undefined) o.backend = backend;
  if (Object.keys(hp).length) o.hp = hp;
  return o;
}

/** --data-pairs INPUTS/ TARGETS/: exactly two folders. */
function dataPairs(dirs: readonly string[]): [string, string] {
  if (dirs.length !== 2) throw usageError(`--data-pairs takes two folders, INPUTS/ TARGETS/ (super-resolution: LOW/ HIGH/); got ${dirs.length}: ${dirs.join(' ')}`);
  return [dirs[0]!, dirs[1]!];
}

/** The step of the run's last evaluation (null: none). */
function lastEvaluation(dir: string): number | null {
  const records = readMetrics(dir);
  return records.length ? records[records.length - 1]!.step : null;
}

export async function run(opts: TrainCommandOptions): Promise<void> {
  if (opts.list) {
    if (opts.json) {
      process.stdout.write(
        `${JSON.stringify({ models: FAMILIES.map(modelJson), datasets: listDatasets(), loop: { ...TRAIN_DEFAULTS, imageEvalSamples: IMAGE_EVAL_SAMPLES, imageSizes: IMAGE_SIZES, defaultImageSize: DEFAULT_IMAGE_SIZE } })}\n`,
      );
    } else process.stdout.write(`${listText()}\n`);
    return;
  }
  // --resume continues the run where it is; a new folder or a replacement would be silently ignored.
  if (opts.resume?.trim() === '') throw usageError('--resume is empty; name the run folder');
  if (opts.resume !== undefined)
    for (const o of ['out', 'force'] as const)
      if (opts[o] !== undefined) throw usageError(`--resume continues the run in ${opts.resume} itself; drop ${flagOf(o)} (or start a new run without --resume)`);
  const hp: Record<string, string | number> = parseHp(opts.hp, opts);
  if (opts.batchSize !== undefined) hp.batchSize = opts.batchSize;
  if (opts.lr !== undefined) hp.lr = opts.lr;
  const backend = opts.backend !== undefined ? checkBackend(opts.backend) : undefined;

  // SIGINT / SIGTERM / SIGHUP (a closed terminal) stop after the current step with a checkpoint;
  // a second signal stops at once (the run's lock is still released, on 'exit').
  const controller = new AbortController();
  let signalled: keyof typeof SIGNAL_EXIT | null = null;
  const onSignal = (sig: keyof typeof SIGNAL_EXIT) => {
    if (signalled) process.exit(SIGNAL_EXIT[sig]);
    signalled = sig;
    controller.abort();
  };
  for (const sig of STOP_SIGNALS) process.on(sig, onSignal);
  const progress = trainProgress(process.stderr, opts.json === true);
  // With --json, stderr stays silent: the start event's notes and warnings go into the JSON instead.
  const said: { notes: string[]; warnings: string[] } = { notes: [], warnings: [] };
  const onEvent = (e: TrainEvent) => {
    if (e.type === 'start') {
      said.notes.push(...e.notes);
      said.warnings.push(...e.warnings);
    }
    progress(e);
  };
  const hooks = { onEvent, signal: controller.signal };
  let dir: string;
  let summary: RunSummary;
  try {
    const shared = runOptions(opts, backend, hp);
    if (opts.resume !== undefined) {
      dir = opts.resume;
      summary = await trainResume({ ...shared, resume: dir }, hooks);
    } else {
      if (opts.model === undefined) throw new GenEvalError('train needs --model NAME (or --resume DIR, or --list)');
      const data = opts.data ?? (opts.dataPairs ? 'pairs' : 'default');
      dir = opts.out ?? `runs/${opts.model}-${data.replace(/[^A-Za-z0-9_.-]+/g, '_')}-seed${opts.seed ?? TRAIN_DEFAULTS.seed}`;
      summary = await trainNew({ ...shared, model: opts.model, out: dir, force: opts.force === true }, hooks);
    }
  } finally {
    for (const sig of STOP_SIGNALS) process.off(sig, onSignal);
  }
  const evaluated = lastEvaluation(dir);
  // A diverged run is a failure: one line on stderr (with --json too), a warning in the JSON, exit 1.
  const diverged = summary.diverged
    ? `${dir} diverged at step ${summary.diverged.step} (${summary.diverged.reason}); training stopped and nothing non-finite was saved (try a lower learning rate)`
    : undefined;
  if (diverged) said.warnings.push(diverged);
  if (opts.json) process.stdout.write(`${terminalJson({ run: dir, ...summary, metrics_step: evaluated, notes: said.notes, warnings: said.warnings })}\n`);
  else {
    const state = summary.diverged
      ? `diverged at step ${summary.diverged.step} after ${summary.steps} finite steps`
      : summary.interrupted
        ? `stopped by ${signalled ?? 'a signal'} at step ${summary.steps} (checkpoint saved; continue with --resume ${dir})`
        : `${summary.steps} steps`;
    // A stopped run's metrics are those of its last evaluation, which may be steps behind.
    const at = evaluated !== null && evaluated !== summary.steps ? `metrics at step ${evaluated}: ` : '';
    process.stdout.write(
      terminalText(
        `${dir}: ${state} in ${summary.wall_seconds.toFixed(1)} s of training (${summary.steps_per_second.toFixed(1)} steps/s, evaluation ${summary.eval_seconds.toFixed(1)} s)\n  ${at}${metricsLine(summary.metrics)}\n`,
      ),
    );
  }
  if (diverged) {
    warn(diverged);
    process.exitCode = EXIT.diverged;
  }
  if (signalled) process.exitCode = SIGNAL_EXIT[signalled];
}
