/**
 * Reading command inputs: each path is an image folder or a `.npy` feature matrix (and, for FID,
 * a `.npz` stats file). Folders share one extractor, built once.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { DEFAULTS } from '@gen-eval/metrics/defaults';
import { CLASSIFIER_NAMES, ExtractorSession, featuresOf, fileDigest, loadInput, type LoadedInput, type LoadInputOptions } from '@gen-eval/metrics/extract';
import { listImages } from '@gen-eval/metrics/images';
// The subpath, not the package index: that loads TensorFlow.js, which metric commands never need.
import { countImageSizes } from '@gen-eval/models/image-folder';
import { inputError } from '@gen-eval/metrics/errors';
import type { Matrix } from '@gen-eval/metrics';
import { toInputOptions } from './image-options.js';

/**
 * Loads every path with one shared extractor session (built only if a path is an image folder);
 * the session is closed afterwards.
 */
export async function loadInputs(paths: readonly string[], opts: object, load: LoadInputOptions = {}): Promise<{ inputs: LoadedInput[]; warnings: string[] }> {
  const session = new ExtractorSession(toInputOptions(opts as Record<string, unknown>));
  try {
    const inputs: LoadedInput[] = [];
    for (const p of paths) inputs.push(await loadInput(p, session, load));
    const warnings = [...new Set(inputs.flatMap((i) => (i.kind === 'images' ? i.warnings : [])))];
    const spec = session.options.extractor ?? DEFAULTS.extractor;
    // The embedded classifiers know 28×28 images only: other sizes are resized silently by the
    // pipeline, which may hide a mismatch (32 px padded digits, 64 px samples), so say it once.
    // Inception resizes every image to 299×299 by design (as pytorch-fid): no note there.
    if ((CLASSIFIER_NAMES as readonly string[]).includes(spec)) {
      for (const input of inputs) {
        if (input.kind !== 'images') continue;
        const note = await resizeNote(input.path, input.set.profile, spec);
        if (note !== undefined) warnings.push(note);
      }
    }
    return { inputs, warnings };
  } finally {
    await session.dispose();
  }
}

/** Filters of the preprocessing profiles, as the note names them. */
const FILTER: Record<string, string> = {
  'torch-interpolate-align-corners-false': 'torch bilinear (align_corners=False, no antialiasing, as pytorch-fid)',
  'pillow-float-antialiased': 'Pillow bicubic (antialiased, as clean-fid)',
};

/**
 * One line when some images of an input (a folder, or an `.npy` image array) are not the
 * extractor's size: how many, which sizes, the size and filter they were resized with.
 */
async function resizeNote(path: string, profile: { size: number; resizer: string }, extractor: string): Promise<string | undefined> {
  const S = profile.size;
  let sizes: Map<string, number>;
  if (path.toLowerCase().endsWith('.npy')) {
    const shape = npyShape(path);
    if (shape === undefined || shape.length < 3) return undefined;
    sizes = new Map([[`${shape[2]}×${shape[1]}`, shape[0]!]]);
  } else {
    sizes = await countImageSizes((await listImages(path)).files.filter((f) => f.problem === undefined).map((f) => f.path));
  }
  const n = [...sizes.values()].reduce((a, b) => a + b, 0);
  sizes.delete(`${S}×${S}`);
  const resized = [...sizes.values()].reduce((a, b) => a + b, 0);
  if (resized === 0) return undefined;
  const seen =
    [...sizes.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([k, c]) => `${c} at ${k}`)
      .join(', ') + (sizes.size > 5 ? ', …' : '');
  return `${path}: ${resized} of ${n} images are not ${S}×${S} (${seen}); resized to ${S}×${S} for the ${extractor} extractor with ${FILTER[profile.resizer] ?? profile.resizer}, aspect ratio not kept`;
}

/** The shape in an `.npy` file's header (only the header is read), or undefined if it has none. */
function npyShape(path: string): number[] | undefined {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const got = readSync(fd, head, 0, head.length, 0);
    const m = /'shape':\s*\(([^)]*)\)/.exec(head.subarray(0, got).toString('latin1'));
    return m
      ? m[1]!
          .split(',')
          .map((t) => t.trim())
          .filter((t) => t !== '')
          .map(Number)
      : undefined;
  } finally {
    closeSync(fd);
  }
}

/** What a metric needs of its inputs: `why` says so in errors (e.g. "KID needs at least 2 samples"). */
export interface PairRequirement {
  readonly metric: string;
  readonly minRows: number;
  readonly why: string;
}

/**
 * What a result's `inputs[]` records of one input: its path and kind, for image inputs the count,
 * extractor, profile and whether the features came from the cache, and `sha256`, the fingerprint
 * of its content (a file's bytes, or a folder's images: see imageFilesSha256), by which `report`
 * tells whether two results used the same reference set wherever it lay.
 */
export function inputRecord(x: LoadedInput): Record<string, unknown> {
  return {
    path: x.path,
    kind: x.kind,
    ...(x.kind === 'images' ? { n: x.set.n, extractor: x.set.extractor, profile: x.set.profile.name, from_cache: x.set.fromCache } : {}),
    ...(x.sha256 !== undefined ? { sha256: x.sha256 } : {}),
  };
}

/** `inputRecord` of a `.npy` file read by a command outside loadInput (ndb, divergence). */
export function fileRecord(path: string): Record<string, unknown> {
  // Read again once the command has parsed it: a page-cache read, ~0.1 s for 400 MB.
  return { path, kind: 'features', sha256: fileDigest(readFileSync(path)) };
}

/** REAL and FAKE feature matrices: same dims, at least `need.minRows` samples each; `inputs` as a result records them. */
export async function readFeaturePair(
  realPath: string,
  fakePath: string,
  opts: object,
  need: PairRequirement,
): Promise<{ real: Matrix; fake: Matrix; warnings: string[]; inputs: Record<string, unknown>[] }> {
  const { inputs, warnings } = await loadInputs([realPath, fakePath], opts, { minRows: 1 });
  const { minRows, why } = need;
  const [real, fake] = inputs.map((input) => {
    const m = featuresOf(input, need.metric);
    if (m.rows < minRows) throw inputError(input.path, `${why}, found ${m.rows}`);
    return m;
  }) as [Matrix, Matrix];
  if (fake.cols !== real.cols) throw inputError(fakePath, `has ${fake.cols} feature dims but ${realPath} has ${real.cols}`);
  return { real, fake, warnings, inputs: inputs.map(inputRecord) };
}
