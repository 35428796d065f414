#!/usr/bin/env node
/**
 * gen-eval's command line. This file only declares commands and options; each command lives in
 * its own module under ./commands, imported lazily so that `--help` and light commands start fast.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULTS } from '@gen-eval/metrics/defaults';
import { OptionValueError, parseIntOption } from './output.js';
import { runCommand } from './run-command.js';

const program = new Command();
program
  .name('gen-eval')
  .description('Evaluate generative image models: FID, IS, KID, precision/recall, density/coverage, divergences.\nInputs are .npy feature matrices (samples × dims) or .npz statistics files (pytorch-fid format).')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride()
  .configureOutput({ outputError: (str, write) => write(str) });

const json = () => new Option('--json', 'print one JSON object on stdout');
/** Wraps option parsers so commander reports their message as a usage error. */
function intArg(name: string, min: number) {
  const p = parseIntOption(name, min);
  return (v: string) => {
    try {
      return p(v);
    } catch (e) {
      throw new InvalidArgumentError((e as OptionValueError).message);
    }
  };
}

program
  .command('fid')
  .description('Fréchet Inception Distance between two inputs (.npy features or .npz stats).')
  .argument('<a>', 'first input: .npy features (N×D) or .npz stats (mu, sigma)')
  .argument('<b>', 'second input: .npy features (N×D) or .npz stats (mu, sigma)')
  .addOption(json())
  .action((a: string, b: string, opts) => runCommand(() => import('./commands/fid.js'), a, b, opts));

program
  .command('stats')
  .description("Mean and covariance of a feature matrix, saved as .npz (pytorch-fid's --save-stats format).")
  .argument('<features>', '.npy feature matrix (N×D)')
  .requiredOption('-o, --output <file>', 'output .npz file')
  .addOption(json())
  .action((features: string, opts) => runCommand(() => import('./commands/stats.js'), features, opts));

program
  .command('is')
  .description('Inception Score from a logits matrix (N×K, unnormalised).')
  .argument('<logits>', '.npy logits (N×K)')
  .option('--splits <n>', 'number of splits', intArg('--splits', 1), DEFAULTS.isSplits)
  .option('--shuffle-seed <seed>', 'shuffle rows with this seed first (torch-fidelity does, seed 2020); default: keep order (OpenAI)', intArg('--shuffle-seed', 0))
  .addOption(json())
  .action((logits: string, opts) => runCommand(() => import('./commands/is.js'), logits, opts));

program
  .command('kid')
  .description('Kernel Inception Distance: unbiased MMD² with the kernel (x·y/d + 1)³ over random subsets.')
  .argument('<real>', '.npy features of real samples')
  .argument('<fake>', '.npy features of generated samples')
  .option('--subsets <n>', 'number of subsets', intArg('--subsets', 1), DEFAULTS.kidSubsets)
  .option('--subset-size <n>', 'samples per subset (shrunk to the smaller set, with a warning)', intArg('--subset-size', 2), DEFAULTS.kidSubsetSize)
  .option('--seed <seed>', 'seed of the subset draw (numpy RandomState stream)', intArg('--seed', 0), DEFAULTS.kidSeed)
  .addOption(json())
  .action((real: string, fake: string, opts) => runCommand(() => import('./commands/kid.js'), real, fake, opts));

program
  .command('pr')
  .description('Improved precision and recall (Kynkäänniemi et al. 2019): k-th neighbour radii, "≤".')
  .argument('<real>', '.npy features of real samples')
  .argument('<fake>', '.npy features of generated samples')
  .option('--k <k>', 'neighbourhood size', intArg('--k', 1), DEFAULTS.prK)
  .addOption(json())
  .action((real: string, fake: string, opts) => runCommand(() => import('./commands/pr.js'), real, fake, opts));

program
  .command('prdc')
  .description('Precision, recall, density and coverage (Naeem et al. 2020): k-th neighbour radii, strict "<".')
  .argument('<real>', '.npy features of real samples')
  .argument('<fake>', '.npy features of generated samples')
  .option('--k <k>', 'neighbourhood size', intArg('--k', 1), DEFAULTS.prdcK)
  .addOption(json())
  .action((real: string, fake: string, opts) => runCommand(() => import('./commands/prdc.js'), real, fake, opts));

program
  .command('demo')
  .description('Runs every metric on the feature files shipped in fixtures/demo (offline, a few seconds).')
  .addOption(json())
  .action((opts) => runCommand(() => import('./commands/demo.js'), opts));

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors get 2 (commander says 1).
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    throw err;
  }
}

void main();
