/**
 * `gen-eval sample runs/NAME -n N -o FILE.npy` — draws samples from a trained run's latest
 * checkpoint, conditioned as its family declares (`--label` K, `--code` K, `--from a|b [--input X.npy|DIR]`;
 * condition.ts of the models package). Image runs write the
 * `.npy` as N×H×W×C uint8 0–255 — the bytes of the PNGs, the image-array convention of
 * torch-fidelity / clean-fid users, which `gen-eval fid x.npy …` reads — or with `-o DIR` one PNG
 * per sample (000000.png, …), the folder `gen-eval fid` reads. With `--input DIR` (a run
 * conditioned on an image) and `-o` a folder, the folder mirrors the input instead: one PNG per input
 * image under the same relative path (`a/b.jpg` → `OUT/a/b.png`), so `gen-eval ssim TARGETS/ OUT/`
 * pairs each output with its target. A device or FIFO (`-o /dev/stdout`) gets the `.npy` bytes. The
 * output may lie neither inside the run folder (its samples/, checkpoints) nor inside the input.
 * A run conditioned on a caption (`--caption`, `--captions FILE`, `--caption A --interpolate B`)
 * also writes the caption of each sample, one a line in the samples' order: `DIR/captions.txt`, or
 * `X.captions.txt` beside `X.npy` (none for a device).
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GenEvalError, inputError, usageError } from '@gen-eval/metrics/errors';
import { encodeNpy, writeFileAtomic, writeNpy } from '@gen-eval/metrics';
import { encodePng, sampleRun, toBytes, writeSamplePngs, type SampleRunOptions } from '@gen-eval/models';
import { emit, type OutputOptions } from '../output.js';
import { checkOutputs, isSpecial } from '../output-path.js';

export interface SampleCommandOptions extends OutputOptions {
  n: number;
  seed: number;
  /** The condition options (those of the registered families' condition kinds; sampleRun checks the run takes them). */
  label?: number;
  code?: number;
  from?: 'a' | 'b';
  input?: string;
  caption?: string;
  captions?: string;
  interpolate?: string;
  output: string;
  /** The options given on the command line (not defaults). */
  given?: string[];
}

/**
 * Checks `-o` before any work: a `.npy` file or device, or a PNG folder — new, or empty (gen-eval fid
 * reads every image in it, stale ones too); in neither case inside the run or the --input.
 */
function checkOutput(run: string, opts: SampleCommandOptions, npy: boolean): void {
  const dir = opts.output;
  // `-o x.png` or `-o out.txt` is more likely a mistaken file name than a folder to create.
  if (!npy && /\.[A-Za-z][A-Za-z0-9]{0,4}$/.test(basename(dir)) && !existsSync(dir)) throw new GenEvalError(`-o must name a .npy file or a folder for PNG files, got "${dir}"`);
  const captions = npy && !isSpecial(dir) ? [{ path: captionsBeside(dir), option: '-o', kind: 'file' as const }] : [];
  checkOutputs({ inputs: [run, opts.input, opts.captions], outputs: [{ path: dir, option: '-o', kind: npy ? 'file' : 'dir' }, ...captions] });
  if (!npy && existsSync(dir) && readdirSync(dir).length > 0)
    throw inputError(dir, 'is not empty; PNG samples need a new or empty folder (gen-eval fid would read every image in it)');
}

type Shape = { height: number; width: number; channels: number };

/** The captions file of an .npy output: X.npy → X.captions.txt. */
const captionsBeside = (npy: string) => npy.replace(/\.npy$/i, '') + '.captions.txt';

/** captions.txt: one caption a line, the samples' order. */
const captionLines = (captions: readonly string[]) => captions.map((c) => `${c}\n`).join('');

/** Each input's relative path with the extension `.png` (the outputs' names); two inputs that would share one are refused. */
function mirroredNames(input: string, files: readonly string[]): string[] {
  const names = files.map((f) => f.replace(/\.[^./]*$/, '') + '.png');
  const seen = new Map<string, string>();
  names.forEach((n, i) => {
    const other = seen.get(n);
    if (other !== undefined) throw inputError(input, `has both ${other} and ${files[i]}, whose outputs would both be ${n}; rename one`);
    seen.set(n, files[i]!);
  });
  return names;
}

/** One PNG per sample under `dir`: named `names[i]` (sub-folders created), or 000000.png, … */
async function writePngs(dir: string, x: Float32Array, shape: Shape, names: readonly string[] | undefined): Promise<void> {
  if (!names) {
    await writeSamplePngs(dir, x, shape);
    return;
  }
  const per = shape.height * shape.width * shape.channels;
  for (let i = 0; i < names.length; i++) {
    const path = join(dir, names[i]!);
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic(path, await encodePng(toBytes(x, i * per, per), shape));
  }
}

/** Writes the PNGs (and any captions.txt) into a temporary sibling folder renamed into place, so an interrupted run leaves no partial set. */
async function writePngFolder(dir: string, x: Float32Array, shape: Shape, names?: readonly string[], captions?: readonly string[]): Promise<void> {
  mkdirSync(dirname(dir), { recursive: true });
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}`);
  try {
    await writePngs(tmp, x, shape, names);
    if (captions) writeFileAtomic(join(tmp, 'captions.txt'), captionLines(captions));
    if (existsSync(dir)) rmdirSync(dir); // empty (checked): replaced by the complete folder
    renameSync(tmp, dir);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export async function run(dir: string, opts: SampleCommandOptions): Promise<void> {
  // The samples are the --input rows translated: a count would be ignored, so it is refused.
  if (opts.input !== undefined && opts.given?.includes('n')) throw usageError('-n does not apply with --input: the samples are its rows, translated; leave out -n (or --input)');
  const npy = opts.output.toLowerCase().endsWith('.npy') || isSpecial(opts.output);
  checkOutput(dir, opts, npy);
  const o: SampleRunOptions = { n: opts.n, seed: opts.seed, images: !npy };
  if (opts.label !== undefined) o.label = opts.label;
  if (opts.code !== undefined) o.code = opts.code;
  if (opts.from !== undefined) o.from = opts.from;
  if (opts.input !== undefined) o.inputPath = opts.input;
  if (opts.caption !== undefined) o.caption = opts.caption;
  if (opts.captions !== undefined) o.captions = opts.captions;
  if (opts.interpolate !== undefined) o.interpolate = opts.interpolate;
  const r = await sampleRun(dir, o);
  const notes = [...r.notes];
  const img = r.image;
  if (!npy) {
    if (!img) throw new GenEvalError(`${dir} has no image samples`); // refused by sampleRun already
    // An --input folder: its outputs under the same relative names (what `gen-eval ssim` pairs by).
    await writePngFolder(opts.output, r.points, img, r.inputFiles && mirroredNames(opts.input!, r.inputFiles), r.captions);
  } else if (img) {
    // The PNGs' bytes (toBytes), so `fid x.npy DIR` of the same samples is 0.
    writeFileAtomic(opts.output, encodeNpy(toBytes(r.points), [r.rows, img.height, img.width, img.channels]));
  } else writeNpy(opts.output, r.points, [r.rows, r.dims]);
  const captionsFile = !r.captions ? undefined : npy ? (isSpecial(opts.output) ? undefined : captionsBeside(opts.output)) : join(opts.output, 'captions.txt');
  if (r.captions && npy) {
    if (captionsFile) writeFileAtomic(captionsFile, captionLines(r.captions));
    else notes.push(`${opts.output} is a device: the samples' captions were not written (give -o a .npy file or a folder for them)`);
  }
  const what = img ? `${r.rows} ${img.height}×${img.width}×${img.channels} images${npy ? '' : ' (PNG)'}` : `${r.rows} points`;
  emit(
    {
      run: dir,
      output: opts.output,
      rows: r.rows,
      dims: r.dims,
      ...(img ? { shape: [r.rows, img.height, img.width, img.channels], format: npy ? 'npy' : 'png', ...(npy ? { dtype: 'uint8' } : {}) } : {}),
      step: r.step,
      seed: opts.seed,
      ...(captionsFile ? { captions: captionsFile } : {}),
    },
    opts,
    `${opts.output}: ${what} from ${dir} (checkpoint at step ${r.step}, seed ${opts.seed})${captionsFile ? `; their captions in ${captionsFile}` : ''}`,
    notes, // an --input folder resized to the run's size; captions not written to a device
  );
}
