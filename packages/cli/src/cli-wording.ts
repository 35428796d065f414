/**
 * Library errors name the caller's options the API's way, in backticks (`weights`, `imageSize`),
 * and list them in `GenEvalError.options`; on the command line those are flags. This turns such a
 * message into the CLI's wording: each listed option becomes its flag (`imageSize` → --image-size),
 * and a few hints that the CLI has always worded with the flag's argument keep that wording.
 */
import type { GenEvalError } from '@gen-eval/metrics/errors';

/** API option → flag, where the flag is not simply the option in kebab case. */
const FLAG_OF: Readonly<Record<string, string>> = {
  executionProvider: '--device',
  n: '-n',
};

/** [option, library phrase, CLI phrase]: hints whose CLI wording says more than the flag. */
const PHRASES: readonly (readonly [string, string, string])[] = [
  ['weights', 'or give a local weights file as `weights`', 'or pass --weights PATH'],
  ['weights', 'its model folder (`weights`)', 'its model folder (--weights DIR)'],
  ['layout', 'declare it (`layout`: NCHW or NHWC)', 'declare it (CLI: --layout nchw or nhwc)'],
  ['baseline', 'no baseline was given (`baseline`)', 'no baseline was given (--baseline FILE)'],
];

/** [library phrase, CLI phrase] of library warnings (plain strings, so no option list to map). */
const WARNING_PHRASES: readonly (readonly [string, string])[] = [['set `cache` to false to skip it', 'use --no-cache to skip it']];

/** The CLI flag of an API option: `--device` for `executionProvider`, else `--kebab-case`. */
export function flagOf(option: string): string {
  return FLAG_OF[option] ?? `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The message of a library error as the CLI prints it (unchanged when it names no options). */
export function cliMessage(err: Pick<GenEvalError, 'message' | 'options'>): string {
  const options = err.options ?? [];
  let message = err.message;
  for (const [option, library, cli] of PHRASES) {
    if (options.includes(option)) message = message.replace(library, cli);
  }
  for (const option of options) message = message.replaceAll(`\`${option}\``, flagOf(option));
  return message;
}

/** A library warning as the CLI prints it: the options it names in the API's words become flags. */
export function cliWarning(warning: string): string {
  let text = warning;
  for (const [library, cli] of WARNING_PHRASES) text = text.replace(library, cli);
  return text;
}
