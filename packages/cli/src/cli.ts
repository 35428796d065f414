#!/usr/bin/env node
/**
 * gen-eval's command line. This file only declares commands and options; each command lives in
 * its own module under ./commands, imported lazily so that `--help` and light commands start fast.
 */
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULTS } from '@gen-eval/metrics/defaults';
import { orList, terminalLine } from '@gen-eval/metrics/errors';
import type { ConditionOption } from '@gen-eval/models/catalog';
import type { PairedMetricName } from '@gen-eval/metrics';
import { CHOICES, VERSION } from './choices.js';
import { guardStdio, LIMITS, OptionValueError, parseIntOption, parseNumberOption } from './output.js';
import { addImageOptions } from './image-options.js';
import { runCommand, type CommandModule } from './run-command.js';
import { parseShard } from './shard-option.js';

const program = new Command();
program
  .name('gen-eval')
  .description(
    'Evaluate generative image models: FID, IS, KID, precision/recall, density/coverage, divergences.\nInputs are image folders, .npy feature matrices (samples × dims) or .npz statistics files (pytorch-fid format).',
  )
  .version(VERSION)
  .exitOverride()
  // Usage errors are one line like every other error: "gen-eval: <problem> (see --help)".
  // Commander puts a suggestion on a second line ("(Did you mean --batch-size?)"): joined into one.
  // Our option parsers' messages name the option and value already, so commander's preamble goes.
  .configureOutput({
    outputError: (str, write) => {
      const line = str
        .trim()
        .replace(/^error: /, '')
        .replace(/\s*\n\s*/g, ' ')
        .replace(/^option '[^']*' argument '.*' is invalid\. (?=-)/, '');
      // Commander quotes the arguments it refuses: escaped like every other echo of user input.
      write(`gen-eval: ${terminalLine(line)} (see --help)\n`);
    },
  });

const json = () => new Option('--json', 'print one JSON object on stdout');
/**
 * An integer option in [min, max] (plain decimal digits only); commander reports a bad value as
 * one usage line, exit 2. Every count has an upper bound (see LIMITS) so that no option value can
 * size an allocation past memory.
 */
function intArg(name: string, min: number, max: number = LIMITS.count) {
  return parseIntOption(name, min, max);
}

/** A decimal number option within bounds, likewise. */
function numArg(name: string, bounds: { min?: number; exclusiveMin?: number; max?: number }) {
  return parseNumberOption(name, bounds);
}
const SEED = LIMITS.seed;

/** --image-size: one of the sizes the conv models are built for (the models package's IMAGE_SIZES). */
function imageSizeArg(value: string): number {
  const size = CHOICES.imageSizes.find((s) => String(s) === value);
  if (size === undefined) throw new OptionValueError(`--image-size must be ${orList(CHOICES.imageSizes)}, got "${value}"`);
  return size;
}

/** The options given on the command line (not defaults), by attribute name: commands refuse those they would ignore. */
function given(cmd: Command): string[] {
  return cmd.options.map((o) => o.attributeName()).filter((k) => cmd.getOptionValueSource(k) === 'cli');
}
const collect = (v: string, prev: string[] = []) => [...prev, v];

addImageOptions(
  program
    .command('fid')
    .description('Fréchet Inception Distance between two inputs (image folders, .npy features or .npz stats, in any mix).')
    .argument('<a>', 'first input: image folder, .npy features (N×D) or .npz stats (mu, sigma)')
    .argument('<b>', 'second input: image folder, .npy features or .npz stats; with --save-stats, the output .npz')
    .option('--save-stats', "pytorch-fid's mode: save the statistics of input A to the .npz file B instead")
    .addOption(json()),
).action((a: string, b: string, opts) => runCommand(() => import('./commands/fid.js'), a, b, opts));

addImageOptions(
  program
    .command('intra-fid')
    .description('Intra-FID (Miyato & Koyama 2018): FID between the real and generated samples of each class, averaged over classes; per-class values in details.')
    .argument('<real>', 'real samples: image folder, .npy image array or .npy features (one row per labelled sample)')
    .argument('<fake>', 'generated samples: image folder, .npy image array or .npy features')
    .requiredOption('--real-labels <file>', ".npy class labels of REAL, one per row (a folder's images in sorted file order): integers, or floats holding integers")
    .requiredOption('--fake-labels <file>', '.npy class labels of FAKE (the class each sample was generated for), likewise')
    .addOption(json()),
).action((real: string, fake: string, opts) => runCommand(() => import('./commands/intra-fid.js'), real, fake, opts));

addImageOptions(
  program
    .command('stats')
    .description("Mean and covariance of an image folder or a feature matrix, saved as .npz (pytorch-fid's --save-stats format).")
    .argument('<input>', 'image folder or .npy feature matrix (N×D)')
    .requiredOption('-o, --output <file>', 'output .npz file')
    .option('--shard <i/n>', 'image folders: only block i (0-based) of n of the sorted file list, saved with what merge-stats needs (see docs/sharding.md)', (v: string) => {
      try {
        return parseShard(v);
      } catch (e) {
        throw new InvalidArgumentError((e as OptionValueError).message);
      }
    })
    .addOption(json()),
).action((input: string, opts) => runCommand(() => import('./commands/stats.js'), input, opts));

program
  .command('merge-stats')
  .description('Merge the shard files of `gen-eval stats FOLDER --shard i/n` into the statistics of the whole folder (exact; a pytorch-fid .npz).')
  .argument('<shards...>', 'every shard file (part-*.npz), in any order')
  .requiredOption('-o, --output <file>', 'output .npz file (mu, sigma, num_samples)')
  .addOption(json())
  .action((shards: string[], opts) => runCommand(() => import('./commands/merge-stats.js'), shards, opts));

addImageOptions(
  program
    .command('features')
    .description('Save the features (and logits) of an image folder as .npy, one row per image in sorted file order, for other tools (clean-fid, torch-fidelity, numpy).')
    .argument('<folder>', 'image folder')
    .requiredOption('-o, --output <file>', 'output .npy file: N×D float32 features')
    .option('--logits <file>', "also save the logits as N×K float32 .npy (inception: 1008 unbiased logits, torch-fidelity's logits_unbiased)")
    .addOption(json()),
).action((folder: string, opts) => runCommand(() => import('./commands/features.js'), folder, opts));

addImageOptions(
  program
    .command('clip-score')
    .description("CLIP score (torchmetrics' CLIPScore): mean of 100·cos(image, caption) in CLIP space, clamped at 0, over one caption per image.")
    .argument('<images>', 'image folder')
    .requiredOption('--captions <file>', 'captions: a text file with one per line in sorted image order, or a .json / .csv mapping image name → caption')
    .option(
      '--text-weights <path>',
      'CLIP checkpoint (OpenAI .pt or Hugging Face model.safetensors) whose text tower embeds the captions; default: the image extractor’s (--weights, or the downloaded one)',
    )
    .option('--per-image', 'also report each image’s score (per_image in --json)')
    .addOption(json()),
).action((images: string, opts) => runCommand(() => import('./commands/clip-score.js'), images, opts));

addImageOptions(
  program
    .command('is')
    .description('Inception Score from a logits matrix (N×K, unnormalised).')
    .argument('<logits>', ".npy logits (N×K), or an image folder (the extractor's logits)")
    .option('--splits <n>', 'number of splits', intArg('--splits', 1, 10_000), DEFAULTS.isSplits)
    .option('--shuffle-seed <seed>', 'shuffle rows with this seed first (torch-fidelity does, seed 2020); default: keep order (OpenAI)', intArg('--shuffle-seed', 0, SEED))
    .addOption(json()),
).action((logits: string, opts) => runCommand(() => import('./commands/is.js'), logits, opts));

addImageOptions(
  program
    .command('cmmd')
    .description('CMMD: MMD² ×1000 with a Gaussian kernel (σ = 10) between CLIP image embeddings (google-research cmmd); lower is better.')
    .argument('<real>', 'real samples: image folder (embedded by --extractor clip, ViT-L/14@336px) or .npy CLIP embeddings')
    .argument('<fake>', 'generated samples: image folder or .npy CLIP embeddings')
    .addOption(json()),
).action((real: string, fake: string, opts) => runCommand(() => import('./commands/cmmd.js'), real, fake, opts));

addImageOptions(
  program
    .command('kid')
    .description('Kernel Inception Distance: unbiased MMD² with the kernel (x·y/d + 1)³ over random subsets.')
    .argument('<real>', 'real samples: image folder or .npy features')
    .argument('<fake>', 'generated samples: image folder or .npy features')
    .option('--subsets <n>', 'number of subsets', intArg('--subsets', 1, 100_000), DEFAULTS.kidSubsets)
    .option('--subset-size <n>', 'samples per subset (shrunk to the smaller set, with a warning)', intArg('--subset-size', 2, 1_000_000), DEFAULTS.kidSubsetSize)
    .option('--seed <seed>', 'seed of the subset draw (numpy RandomState stream)', intArg('--seed', 0, SEED), DEFAULTS.kidSeed)
    .addOption(json()),
).action((real: string, fake: string, opts) => runCommand(() => import('./commands/kid.js'), real, fake, opts));

addImageOptions(
  program
    .command('pr')
    .description('Improved precision and recall (Kynkäänniemi et al. 2019): k-th neighbour radii, "≤".')
    .argument('<real>', 'real samples: image folder or .npy features')
    .argument('<fake>', 'generated samples: image folder or .npy features')
    .option('--k <k>', 'neighbourhood size', intArg('--k', 1, 1000), DEFAULTS.prK)
    .addOption(json()),
).action((real: string, fake: string, opts) => runCommand(() => import('./commands/pr.js'), real, fake, opts));

addImageOptions(
  program
    .command('prdc')
    .description('Precision, recall, density and coverage (Naeem et al. 2020): k-th neighbour radii, strict "<".')
    .argument('<real>', 'real samples: image folder or .npy features')
    .argument('<fake>', 'generated samples: image folder or .npy features')
    .option('--k <k>', 'neighbourhood size', intArg('--k', 1, 1000), DEFAULTS.prdcK)
    .addOption(json()),
).action((real: string, fake: string, opts) => runCommand(() => import('./commands/prdc.js'), real, fake, opts));

/** One module per paired metric command, imported when it runs. */
const PAIRED_COMMANDS: Record<PairedMetricName, () => Promise<CommandModule>> = {
  l1: () => import('./commands/l1.js'),
  psnr: () => import('./commands/psnr.js'),
  ssim: () => import('./commands/ssim.js'),
};
for (const { key, label, convention } of CHOICES.pairedMetrics) {
  program
    .command(key)
    .description(
      `${label} of each test image against its reference, and the mean over pairs (${convention}). Folders are matched by relative file name without extension (x.jpg with x.png); .npy image arrays (N×H×W or N×H×W×C, uint8 0–255 or floats in [0, 1]) row by row; a folder against an .npy in sorted file order. Never resizes.`,
    )
    .argument('<ref>', 'reference (target) images: image folder or .npy image array')
    .argument('<test>', 'test (generated) images: image folder or .npy image array')
    .option('--per-image <file>', `also write each pair's value as CSV (name, ${key})`)
    .addOption(json())
    .action((ref: string, test: string, opts) => runCommand(PAIRED_COMMANDS[key], ref, test, opts));
}

addImageOptions(
  program
    .command('eval')
    .description('Several metrics from one feature pass per input (each input: image folder, .npy features or .npz stats).')
    .argument('<real>', 'real samples: image folder, .npy features or .npz stats')
    .argument('<fake>', 'generated samples: image folder or .npy features (the IS needs a folder, for its logits)')
    .option('--metrics <list>', `comma-separated: ${CHOICES.evalMetrics.join(', ')} (prdc's precision/recall appear as prdc_precision/prdc_recall)`, 'fid')
    .option('--splits <n>', 'IS splits', intArg('--splits', 1, 10_000), DEFAULTS.isSplits)
    .option('--subsets <n>', 'KID subsets', intArg('--subsets', 1, 100_000), DEFAULTS.kidSubsets)
    .option('--subset-size <n>', 'KID subset size', intArg('--subset-size', 2, 1_000_000), DEFAULTS.kidSubsetSize)
    .option('--seed <seed>', 'KID subset seed', intArg('--seed', 0, SEED), DEFAULTS.kidSeed)
    .option('--pr-k <k>', 'k of precision/recall', intArg('--pr-k', 1, 1000), DEFAULTS.prK)
    .option('--prdc-k <k>', 'k of PRDC', intArg('--prdc-k', 1, 1000), DEFAULTS.prdcK)
    .option('--thresholds <file>', 'gate the result on these bounds (JSON or YAML, as gen-eval check); exit 1 when one fails')
    .option('--baseline <file>', 'with --thresholds: results whose values bound expressions may use (baseline.<metric>)')
    .option('--junit <file>', 'with --thresholds: write a JUnit XML report, one test case per bound')
    .addOption(json()),
).action((real: string, fake: string, opts, cmd: Command) => runCommand(() => import('./commands/eval.js'), real, fake, { ...opts, given: given(cmd) }));

program
  .command('divergence')
  .description('A divergence between two sample sets (.npy, N×D; w1: 1-D values) or two histograms (kl, js).')
  .addArgument(new Argument('<estimator>', 'knn-kl | mmd | w1 | sliced-w | sinkhorn | kl | js').choices(['knn-kl', 'mmd', 'w1', 'sliced-w', 'sinkhorn', 'kl', 'js']))
  .argument('<p>', 'P: .npy samples (N×D), values (w1, 1-D) or histogram (kl, js, 1-D)')
  .argument('<q>', 'Q: as P')
  .option('--k <k>', 'knn-kl: neighbour order (k < number of P samples)', intArg('--k', 1, 1000), DEFAULTS.knnKlK)
  .addOption(new Option('--kernel <kernel>', "mmd: kernel (polynomial = KID's (x·y/d + 1)³)").choices(['gaussian', 'polynomial']).default(DEFAULTS.mmdKernel))
  .option('--sigma <sigma>', 'mmd: Gaussian σ > 0, or "median" (median pairwise distance of P ∪ Q)', String(DEFAULTS.mmdSigma))
  .option('--p-weights <file>', 'w1: .npy weights of the P values (default equal)')
  .option('--q-weights <file>', 'w1: .npy weights of the Q values (default equal)')
  .option('--projections <n>', 'sliced-w: random directions', intArg('--projections', 1, 10_000), DEFAULTS.slicedProjections)
  .addOption(new Option('--p <p>', 'sliced-w: order p; sinkhorn: cost ‖x−y‖^p / p').choices(['1', '2']).default(String(DEFAULTS.slicedP)))
  .option('--seed <seed>', 'sliced-w: seed of the directions (numpy RandomState stream)', intArg('--seed', 0, SEED), DEFAULTS.slicedSeed)
  .option('--epsilon <e>', 'sinkhorn: entropic regularisation ε > 0, in cost units', String(DEFAULTS.sinkhornEpsilon))
  .option('--tolerance <t>', "sinkhorn: stop when the transport plan's L1 marginal violation is at most this", String(DEFAULTS.sinkhornTolerance))
  .option('--max-iterations <n>', 'sinkhorn: iteration cap per transport problem', intArg('--max-iterations', 1, 10_000_000), DEFAULTS.sinkhornMaxIterations)
  .addOption(new Option('--base <base>', 'kl, js: logarithm base (e = nats, 2 = bits)').choices(['e', '2']).default('e'))
  .option('--smoothing <eps>', 'kl, js: ε ≥ 0 added to every bin before normalising', String(DEFAULTS.histogramSmoothing))
  .addOption(json())
  .action((estimator: string, p: string, q: string, opts, cmd: Command) => runCommand(() => import('./commands/divergence.js'), estimator, p, q, { ...opts, given: given(cmd) }));

program
  .command('modes')
  .description(
    'Mode-collapse diagnostics: 2-D ring / grid mixtures (PacGAN, VEEGAN), class-label coverage, or Stacked MNIST (three digits per sample, labelled by the embedded mnist classifier).',
  )
  .addArgument(new Argument('<protocol>', 'ring | grid | classes | stacked-mnist').choices(['ring', 'grid', 'classes', 'stacked-mnist']))
  .argument(
    '<input>',
    'ring, grid: .npy samples (N×2); classes: .npy integer labels (N, or N×channels); stacked-mnist: a folder of RGB images or a .npy N×H×W×3 (uint8 0–255 or floats in [0, 1])',
  )
  .option('--classes <k>', 'classes: classes per channel (modes = k^channels)', intArg('--classes', 1, 1_000_000))
  .option('--sigma <s>', `ring, grid: σ of each mode (default ${DEFAULTS.ringSigma} ring, ${DEFAULTS.gridSigma} grid)`)
  .option('--radius <r>', 'ring: radius', String(DEFAULTS.ringRadius))
  .option('--modes <k>', 'ring: number of modes', intArg('--modes', 1, 10_000), DEFAULTS.ringModes)
  .option('--spacing <s>', 'grid: distance between neighbouring modes', String(DEFAULTS.gridSpacing))
  .option('--grid-size <n>', 'grid: modes per side (at most 100)', intArg('--grid-size', 1, 100), DEFAULTS.gridSize)
  .addOption(
    new Option('--profile <name>', 'stacked-mnist: resize of images that are not 28×28 (pytorch-fid: torch bilinear; clean: Pillow bicubic)')
      .choices(['pytorch-fid', 'clean'])
      .default(DEFAULTS.imageProfile),
  )
  .option('--batch-size <n>', 'stacked-mnist: images per batch', intArg('--batch-size', 1, 1024), DEFAULTS.batchSize)
  .option('--workers <n>', 'stacked-mnist: decode/resize worker threads (0 = main thread)', intArg('--workers', 0, 256), DEFAULTS.decodeWorkers)
  .option('--threads <n>', 'stacked-mnist: onnxruntime intra-op threads', intArg('--threads', 1, 256), DEFAULTS.extractorThreads)
  .option('--skip-bad', 'stacked-mnist: skip images that cannot be decoded')
  .option('--no-cache', 'stacked-mnist: neither read nor write the feature cache')
  .option('--quiet', 'stacked-mnist: no progress output')
  .addOption(json())
  .action((protocol: string, input: string, opts, cmd: Command) => runCommand(() => import('./commands/modes.js'), protocol, input, { ...opts, given: given(cmd) }));

program
  .command('ndb')
  .description('Number of statistically different bins (Richardson & Weiss 2018): k-means bins on REAL, z-tests per bin, JS of the bin histograms.')
  .argument('<real>', '.npy features of real samples')
  .argument('<fake>', '.npy features of generated samples')
  .option('--bins <k>', 'k-means bins', intArg('--bins', 2, 10_000), DEFAULTS.ndbBins)
  .option('--seed <seed>', 'k-means++ seed (numpy RandomState stream)', intArg('--seed', 0, SEED), DEFAULTS.ndbSeed)
  .option('--alpha <a>', 'significance level of each two-proportion z-test', String(DEFAULTS.ndbAlpha))
  .addOption(json())
  .action((real: string, fake: string, opts) => runCommand(() => import('./commands/ndb.js'), real, fake, opts));

program
  .command('train')
  .description('Train a generative model on 2-D data or images into a run directory; --resume continues a run, --list shows models, data sets and defaults.')
  .option('--model <name>', `model family: ${CHOICES.models.join(', ')} (see --list)`)
  .option('--data <name>', `data set: ${CHOICES.datasets.join(', ')}, FILE.npy (N×2) or DIR (a folder of images); default: the model's`)
  .option(
    '--image-size <px>',
    `image data: side of the square images the model sees, ${orList(CHOICES.imageSizes)} (default ${CHOICES.defaultImageSize}; a folder: its images' size when one of these, else ${CHOICES.folderImageSize})`,
    imageSizeArg,
  )
  .option(
    '--data-dir <dir>',
    `fashion-mnist, edges2fashion, edges2shoes: the folder of Fashion-MNIST's IDX files (default ${CHOICES.fashionMnistDir}, Debian's dataset-fashion-mnist)`,
  )
  .option('--data-pairs <dirs...>', 'paired models: two folders INPUTS/ TARGETS/ whose images pair by relative file name (super-resolution: LOW/ HIGH/), instead of --data')
  .option('--steps <n>', 'training steps (with --resume: the new total)', intArg('--steps', 1, 100_000_000))
  .option('--time-budget <seconds>', 'train for this many seconds (evaluation excluded) instead of a step count', numArg('--time-budget', { exclusiveMin: 0, max: 1e7 }))
  .option('--batch-size <n>', "samples per batch (default: the model's)", intArg('--batch-size', 1, CHOICES.maxBatch))
  .option('--lr <rate>', "learning rate (default: the model's)", numArg('--lr', { exclusiveMin: 0 }))
  .option('--hp <name=value>', "any other hyper-parameter of the model (repeatable; the models' below)", collect)
  .option('--seed <seed>', 'seed of every random choice (weights, data, noise)', intArg('--seed', 0, SEED))
  .option('--eval-every <k>', 'evaluate and checkpoint every k steps (and at the end)', intArg('--eval-every', 1, 100_000_000))
  .option(
    '--eval-samples <n>',
    'samples generated per evaluation (default 2500 points; images: 1000, against twice as many held-out images for FID/KID/IS)',
    intArg('--eval-samples', 2, 100_000),
  )
  .addOption(new Option('--backend <backend>', `TensorFlow.js backend (auto: ${CHOICES.backendOrder.join(' → ')})`).choices(CHOICES.backends))
  .option('--out <dir>', 'run directory (default runs/<model>-<data>-seed<seed>)')
  .option('--force', 'replace an existing run (a folder holding a gen-eval run; nothing else)')
  .option('--resume <dir>', 'continue this run from its latest checkpoint')
  .option('--list', "list models, data sets, defaults and every hyper-parameter's type, range and help")
  .addOption(json())
  .addHelpText('after', `\nHyper-parameters of each model (--hp NAME=VALUE; types, ranges, defaults and help: --list):\n${CHOICES.hyperParams.map((l) => `  ${l}`).join('\n')}`)
  .action((opts) => runCommand(() => import('./commands/train.js'), opts));

/**
 * `sample`'s condition options, one per condition option of the models catalog. Each is offered
 * only once a registered family takes it, its help naming those families: help lists no option
 * that every run would refuse (a `--caption` appears with the first text-conditioned family).
 */
const CONDITION_SAMPLE_OPTIONS: Record<ConditionOption, (families: string) => Option> = {
  label: (f) => new Option('--label <k>', `${f}: generate this class (mode index)`).argParser(intArg('--label', 0, 1_000_000)),
  code: (f) => new Option('--code <k>', `${f}: fix the categorical code to this value (the other codes stay random)`).argParser(intArg('--code', 0, 1_000_000)),
  from: (f) => new Option('--from <domain>', `${f}: translate from domain a (to b) or b (to a)`).choices(['a', 'b']),
  input: (f) =>
    new Option(
      '--input <path>',
      `${f}: the source-domain samples to translate: .npy points (N×2), or for image runs a folder of images (resized to the run's size, with a note; paired runs: of their inputs' size, never resized) or an .npy image array N×H×W×C (uint8 0–255 or floats in [0, 1]) of the run's size; a folder with -o a folder: one PNG per input under the same relative name; default: fresh samples of the source domain (paired runs: held-out inputs of the run's data)`,
    ),
  caption: (f) =>
    new Option(
      '--caption <text>',
      `${f}: draw every sample for this caption (embedded by the run's data encoder; an unknown word is refused, naming it); without any caption: held-out captions of the run's data`,
    ),
  captions: (f) => new Option('--captions <file>', `${f}: a text file of captions, one a line (blank lines skipped): -n samples for each, in the file's order`),
  interpolate: (f) =>
    new Option(
      '--interpolate <text>',
      `${f}: with --caption, the caption to interpolate towards: -n samples whose text code goes from --caption's to this one's in even steps, all with the same noise`,
    ),
};

const sample = program
  .command('sample')
  .description("Draw samples from a trained run's latest checkpoint into a .npy file, or (image runs) PNG files in a folder.")
  .argument('<run>', 'run directory written by gen-eval train')
  .option(
    '-n, --n <n>',
    'number of samples (not with --input: its rows are the samples; with --captions: per caption; with --interpolate: steps)',
    intArg('-n', 1, 10_000_000),
    2500,
  )
  .option('--seed <seed>', 'seed of the noise', intArg('--seed', 0, SEED), 0);
for (const [option, families] of Object.entries(CHOICES.sampleConditions) as [ConditionOption, readonly string[]][]) {
  if (families.length > 0) sample.addOption(CONDITION_SAMPLE_OPTIONS[option](families.join(', ')));
}
sample
  .requiredOption(
    '-o, --output <path>',
    'output .npy file (2-D runs: N×2 float32 points; image runs: N×H×W×C uint8 0–255, the bytes of the PNGs, as torch-fidelity / clean-fid take image arrays), or for image runs a folder for N PNG files 000000.png … (with an --input folder: the same relative names as its images, a/b.jpg → a/b.png) (created; must be empty or new); gen-eval fid reads either (e.g. --extractor mnist). Runs conditioned on a caption also write each sample’s caption, one a line: DIR/captions.txt, or X.captions.txt beside X.npy',
  )
  .addOption(json())
  .action((run: string, opts, cmd: Command) => runCommand(() => import('./commands/sample.js'), run, { ...opts, given: given(cmd) }));

program
  .command('cas')
  .description(
    `Classification Accuracy Score (Ravuri & Vinyals 2019) of a class- or caption-conditioned image run (${[...CHOICES.sampleConditions.label, ...CHOICES.sampleConditions.caption].join(', ')} on mnist, fashion-mnist or their captioned sets; a text run is asked for each class by captions of it): a small CNN trained on its samples, tested on real held-out images, next to the same CNN trained on as many real images; and the embedded classifier's accuracy on the requested classes.`,
  )
  .argument('<run>', 'run directory written by gen-eval train')
  .option('-n, --n <n>', 'generated images to train on, split evenly over the classes (and real images for the baseline)', intArg('-n', 1, 100_000), CHOICES.cas.n)
  .option('--epochs <e>', 'passes of the classifier over the n images', intArg('--epochs', 1, 1000), CHOICES.cas.epochs)
  .option('--seed <seed>', "seed of the samples, the real images drawn and the classifier's weights and batch order", intArg('--seed', 0, SEED), 0)
  .addOption(json())
  .action((run: string, opts) => runCommand(() => import('./commands/cas.js'), run, opts));

program
  .command('check')
  .description('Gate results on quality thresholds (CI): exit 0 when every bound holds, 1 when one fails, 2 on invalid input.')
  .argument('<results>', 'a --json result file of gen-eval eval|fid|kid|… or a run directory (its summary.json)')
  .requiredOption('--thresholds <file>', 'bounds per metric, JSON or YAML: {"fid": {"max": "baseline.fid * 1.05", "warn": {"max": 40}}}')
  .option('--baseline <file>', 'results (or a run directory) whose values the bound expressions may use as baseline.<metric>')
  .option('--junit <file>', 'write a JUnit XML report, one test case per bound')
  .addOption(json())
  .action((results: string, opts) => runCommand(() => import('./commands/check.js'), results, opts));

program
  .command('report')
  .description('One self-contained HTML page comparing training runs and evaluation results: table, charts, samples.')
  .argument('<inputs...>', 'run directories, a folder of runs, globs, or --json result files, in any mix')
  .requiredOption('-o, --output <file>', 'the HTML file to write')
  .option('--title <title>', 'page title', 'gen-eval report')
  .option('--csv <file>', 'also write the comparison table as CSV')
  .option('--csv-rows <file>', 'also write every (run, step, metric, value) row as CSV')
  .option('--skip-bad', 'leave out runs that cannot be read (with a warning) instead of failing')
  .addOption(json())
  .action((inputs: string[], opts) => runCommand(() => import('./commands/report.js'), inputs, opts));

program
  .command('demo')
  .description(
    'The whole tool, offline: every metric on shipped features, four generators trained on a 2-D ring, a quality gate, and an HTML report (about 4½ min; --quick under a minute).',
  )
  .option('--quick', 'train a few seconds per model (what CI runs)')
  .option('--out <dir>', 'folder for runs/ and report.html (default: the current folder)')
  .addOption(json())
  .action((opts) => runCommand(() => import('./commands/demo.js'), opts));

/** Options that may be given more than once (each occurrence adds one item). */
const REPEATABLE = new Set(['--hp']);
/** The options seen by each command in the current parse (emptied before each parse, see main). */
const seenOptions: Set<string>[] = [];

/**
 * Refuses an option given twice (`--model gan --model wgan`): commander would keep the last one
 * without a word, so that one of the two the user typed is silently ignored.
 */
function refuseRepeatedOptions(cmd: Command): void {
  for (const sub of cmd.commands) {
    const seen = new Set<string>();
    seenOptions.push(seen);
    for (const option of sub.options) {
      if (!(option.required || option.optional) || option.variadic || REPEATABLE.has(option.long ?? '')) continue;
      sub.on(`option:${option.name()}`, () => {
        const name = option.long ?? option.flags;
        if (seen.has(name)) sub.error(`${name} is given twice; give it once`, { exitCode: 2, code: 'gen-eval.repeatedOption' });
        seen.add(name);
      });
    }
    refuseRepeatedOptions(sub);
  }
}
refuseRepeatedOptions(program);

/** An embedder sets globalThis[Symbol.for('gen-eval.cli.embedded')] = true before importing this module. */
const EMBEDDED = Symbol.for('gen-eval.cli.embedded');

/**
 * Runs gen-eval on `argv` (node's layout: the node binary, the script, then the arguments); the exit
 * code goes to process.exitCode. Output goes to process.stdout and process.stderr.
 */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  guardStdio();
  for (const seen of seenOptions) seen.clear();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors get 2 (commander says 1).
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    throw err;
  }
}

// The module is the program: importing it runs the command line, unless the importer embeds the CLI
// and calls main itself (the test suite's in-process runner, packages/cli/test/cli-in-process.ts).
if (!(globalThis as { [EMBEDDED]?: boolean })[EMBEDDED]) void main();
