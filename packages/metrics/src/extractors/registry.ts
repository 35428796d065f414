/**
 * The registry of feature extractors, addressed by a spec string (what `--extractor` takes): a
 * name (`inception`, `mnist`) or a prefix and its argument (`onnx:PATH`). The built-ins
 * (builtin-extractors.ts) are registered at load; `registerExtractor` adds others (or, with
 * `replace`, overrides one), and everything that builds an extractor from a spec — `createExtractor`,
 * the folder pipeline, the CLI — goes through here.
 */
import { usageError } from '../errors.js';
import { BUILTIN_EXTRACTORS, type ExtractorFactory, type ExtractorOptions } from './builtin-extractors.js';
import type { FeatureExtractor } from './extractor.js';

export type { ExtractorFactory, ExtractorOptions } from './builtin-extractors.js';

/** A registered extractor, as `listExtractors` tells it. */
export interface ExtractorInfo {
  /** The registered name; a prefix ends with ':' (`onnx:`). */
  readonly name: string;
  /** How a spec writes it: the name, or the prefix and its argument (`onnx:PATH`). */
  readonly spec: string;
  readonly description: string;
}

/** A spec resolved against the registry: the entry's name and, for a prefix, what follows it. */
export interface ExtractorSpec {
  readonly name: string;
  readonly argument: string;
}

/** Options of {@link registerExtractor}. */
export interface RegisterExtractorOptions {
  /** Replace an extractor registered under the same name (default: that is an error). */
  readonly replace?: boolean;
  /** One line for listings and help texts. */
  readonly description?: string;
  /** Prefixes only: the argument's name in listings (`onnx:PATH`); default `ARG`. */
  readonly argument?: string;
}

interface Entry extends ExtractorInfo {
  readonly factory: ExtractorFactory;
}

// Insertion order is listing order; a replaced entry keeps its place.
const entries = new Map<string, Entry>();

const NAME = /^[A-Za-z0-9][\w.+-]*:?$/;

/**
 * Registers an extractor under `name` (e.g. `dinov2`), or under a prefix ending in ':' (e.g.
 * `hf:`) whose factory receives the rest of the spec (`hf:facebook/dinov2-small` →
 * `facebook/dinov2-small`). A name already taken is a usage error unless `replace` is set.
 */
export function registerExtractor(name: string, factory: ExtractorFactory, options: RegisterExtractorOptions = {}): void {
  if (!NAME.test(name)) {
    throw usageError(`extractor name "${name}" must be letters, digits, '.', '_', '+' or '-' (a prefix ends with ':')`);
  }
  if (typeof factory !== 'function') throw usageError(`extractor "${name}": the factory must be a function`);
  if (entries.has(name) && options.replace !== true) {
    throw usageError(`extractor "${name}" is already registered; pass \`replace: true\` to replace it`, { options: ['replace'] });
  }
  const spec = name.endsWith(':') ? `${name}${options.argument ?? 'ARG'}` : name;
  entries.set(name, { name, spec, description: options.description ?? '', factory });
}

/** Removes a registered extractor (built-ins too); returns whether there was one. */
export function unregisterExtractor(name: string): boolean {
  return entries.delete(name);
}

/** The registered extractors, built-ins first, in registration order. */
export function listExtractors(): ExtractorInfo[] {
  return [...entries.values()].map(({ name, spec, description }) => ({ name, spec, description }));
}

/**
 * Resolves a spec: an exact name first, else a registered prefix followed by a non-empty
 * argument. Anything else is a one-line usage error listing the registered specs.
 */
export function parseExtractorSpec(spec: string): ExtractorSpec {
  if (entries.has(spec) && !spec.endsWith(':')) return { name: spec, argument: '' };
  for (const name of entries.keys()) {
    if (name.endsWith(':') && spec.startsWith(name) && spec.length > name.length) return { name, argument: spec.slice(name.length) };
  }
  throw usageError(
    `unknown extractor "${spec}"; choose one of: ${listExtractors()
      .map((e) => e.spec)
      .join(', ')}`,
  );
}

/** Creates the extractor a spec names, with the options its factory reads. */
export async function createExtractor(spec: string, options: ExtractorOptions = {}): Promise<FeatureExtractor> {
  const { name, argument } = parseExtractorSpec(spec);
  return entries.get(name)!.factory(options, argument);
}

for (const b of BUILTIN_EXTRACTORS) {
  registerExtractor(b.name, b.factory, { description: b.description, ...(b.argument !== undefined ? { argument: b.argument } : {}) });
}
