/**
 * `gen-eval modes ring|grid SAMPLES.npy` — the PacGAN / VEEGAN 2-D mixture protocol (modes
 * covered, share of high-quality samples, reverse KL); `gen-eval modes classes LABELS.npy
 * --classes K` — Stacked-MNIST style label coverage (modes covered, KL vs uniform);
 * `gen-eval modes stacked-mnist SAMPLES` — the same on three digits per sample, each channel
 * labelled by the embedded mnist classifier (SAMPLES: a folder of RGB images or an N×H×W×3 .npy).
 */
import { classCoverage, DEFAULTS, gridMixture, METRIC, mixtureModeCoverage, readFeatureMatrix, readClassLabels, ringMixture } from '@gen-eval/metrics';
import { GenEvalError, inputError } from '@gen-eval/metrics/errors';
import { progressRenderer, stackedMnistModes } from '@gen-eval/metrics/extract';
import { emit, parseNumberOption, refuseIgnored, type OutputOptions } from '../output.js';

export type Protocol = 'ring' | 'grid' | 'classes' | 'stacked-mnist';

export interface ModesCommandOptions extends OutputOptions {
  classes?: number;
  sigma?: string;
  radius: string;
  modes: number;
  spacing: string;
  gridSize: number;
  /** stacked-mnist: the image pipeline's options. */
  profile?: 'pytorch-fid' | 'clean';
  batchSize?: number;
  workers?: number;
  threads?: number;
  skipBad?: boolean;
  cache?: boolean;
  quiet?: boolean;
  /** Options given on the command line (attribute names); those the protocol ignores are refused. */
  given?: readonly string[];
}

/** The options each protocol uses; any other given option is refused rather than ignored. */
const PROTOCOL_OPTIONS: Readonly<Record<Protocol, readonly string[]>> = {
  ring: ['sigma', 'radius', 'modes'],
  grid: ['sigma', 'spacing', 'gridSize'],
  classes: ['classes'],
  'stacked-mnist': ['profile', 'batchSize', 'workers', 'threads', 'skipBad', 'cache', 'quiet'],
};

function num(name: string, value: string, bounds: { min?: number; exclusiveMin?: number }): number {
  try {
    return parseNumberOption(name, bounds)(value);
  } catch (e) {
    throw new GenEvalError((e as Error).message, { code: 'usage', cause: e });
  }
}

const fmt = (v: number) => v.toPrecision(6);

export async function run(protocol: Protocol, input: string, opts: ModesCommandOptions): Promise<void> {
  refuseIgnored(opts.given, PROTOCOL_OPTIONS[protocol], `modes ${protocol}`);
  if (protocol === 'stacked-mnist') {
    const r = await stackedMnistModes(input, {
      ...(opts.profile ? { profile: opts.profile } : {}),
      ...(opts.batchSize ? { batchSize: opts.batchSize } : {}),
      ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
      ...(opts.threads ? { threads: opts.threads } : {}),
      skipBad: opts.skipBad === true,
      cache: opts.cache !== false,
      quiet: opts.quiet === true,
      onProgress: progressRenderer(process.stderr),
    });
    emit(
      { protocol, [METRIC.modes_covered]: r.modesCovered, modes: r.modes, [METRIC.kl]: r.kl, samples: r.samples, classifier: r.classifier },
      opts,
      `modes covered: ${r.modesCovered} / ${r.modes}, KL(modes ‖ uniform) = ${fmt(r.kl)} nats  (${r.samples} samples, ${r.classifier})`,
      [...r.warnings],
    );
    return;
  }
  if (protocol === 'classes') {
    if (opts.classes === undefined) throw new GenEvalError('modes classes needs --classes K (classes per channel)', { code: 'usage' });
    // Integer, bool or string labels (readClassLabels: digit strings are their integers, other
    // strings are numbered in sorted order and listed as class_names).
    const arr = readClassLabels(input);
    if (arr.classNames && arr.classNames.length > opts.classes) {
      throw inputError(
        input,
        `has ${arr.classNames.length} distinct string labels (${arr.classNames
          .slice(0, 5)
          .map((c) => JSON.stringify(c))
          .join(', ')}${arr.classNames.length > 5 ? ', …' : ''}) but --classes is ${opts.classes}`,
      );
    }
    const r = classCoverage(arr.labels, arr.shape, opts.classes, { name: input });
    emit(
      {
        protocol,
        [METRIC.modes_covered]: r.modesCovered,
        modes: r.modes,
        [METRIC.kl]: r.kl,
        samples: r.samples,
        classes: opts.classes,
        channels: arr.shape[1] ?? 1,
        ...(arr.classNames ? { class_names: arr.classNames } : {}),
      },
      opts,
      `modes covered: ${r.modesCovered} / ${r.modes}, KL(modes ‖ uniform) = ${fmt(r.kl)} nats  (${r.samples} samples)`,
    );
    return;
  }
  const sigma = opts.sigma === undefined ? undefined : num('--sigma', opts.sigma, { exclusiveMin: 0 });
  const mix =
    protocol === 'ring'
      ? ringMixture({ modes: opts.modes, radius: num('--radius', opts.radius, { exclusiveMin: 0 }), sigma })
      : gridMixture({ size: opts.gridSize, spacing: num('--spacing', opts.spacing, { exclusiveMin: 0 }), sigma });
  const samples = readFeatureMatrix(input, { minRows: 0 });
  const r = await mixtureModeCoverage(samples, mix, { name: input });
  const geometry = protocol === 'ring' ? { radius: Number(opts.radius) } : { spacing: Number(opts.spacing), grid_size: opts.gridSize };
  const warnings = r.reverseKl === null ? [`no sample of ${input} lies within ${DEFAULTS.highQualitySigmas}σ of a mode: reverse KL is undefined (null)`] : [];
  emit(
    {
      protocol,
      [METRIC.modes_covered]: r.modesCovered,
      modes: r.modes,
      [METRIC.high_quality]: r.highQuality,
      [METRIC.reverse_kl]: r.reverseKl,
      counts: r.counts,
      sigma: mix.sigma,
      high_quality_threshold: r.threshold,
      samples: samples.rows,
      ...geometry,
    },
    opts,
    `modes covered: ${r.modesCovered} / ${r.modes}, high quality: ${(100 * r.highQuality).toFixed(1)} %, reverse KL: ${r.reverseKl === null ? 'undefined' : fmt(r.reverseKl)}`,
    warnings,
  );
}
