/**
 * The families' hyper-parameters in words, from their schemas (./hyper-param-schema.ts): the
 * lines of `train --list`, the summary of `train --help`, the JSON of `train --list --json` and
 * the tables of docs/hyper-parameters.md. Loads no TensorFlow.js.
 */
import type { FamilyDefinition } from './family.js';
import { DATA_KINDS, defaultOn, describeAllowed, existsOn, maxOn, minOn, narrowerOnImages, type DataKind, type HpSpec, type IntHp } from './hyper-param-schema.js';

type Family = Pick<FamilyDefinition, 'name' | 'title' | 'hyperParams'>;

const KIND_WORD: Record<DataKind, string> = { points: '2-D', images: 'images' };

/** The default in words: "256", or "256 (images: 64)", or "images: 3" for a one-kind parameter. */
export function describeDefault(spec: HpSpec): string {
  const [p, i] = DATA_KINDS.map((k) => defaultOn(spec, k));
  if (spec.only) return `${KIND_WORD[spec.only]} only: ${String(spec.only === 'points' ? p : i)}`;
  return p === i ? String(p) : `${String(p)} (images: ${String(i)})`;
}

/** The allowed values in words, with the images' narrower range where there is one. */
export function describeRange(spec: HpSpec): string {
  const words = describeAllowed(spec, spec.only ?? 'points');
  if (spec.only || !narrowerOnImages(spec)) return words;
  const images = describeAllowed(spec, 'images');
  const onlyMax = minOn(spec as IntHp, 'images') === (spec as IntHp).min;
  return `${words} (images: ${onlyMax ? `at most ${maxOn(spec as IntHp, 'images')}` : images.replace(/^an? (even )?integer /, '')})`;
}

/** One line per hyper-parameter: `name=default  allowed values; help`. */
export function hyperParamLines(family: Family): string[] {
  const rows = Object.entries(family.hyperParams).map(([name, spec]) => [`${name}=${describeDefault(spec)}`, `${describeRange(spec)}; ${spec.help}`] as const);
  const width = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `${a.padEnd(width)}  ${b}`);
}

/** Each family's hyper-parameter names, one line per family (`train --help`). */
export function hyperParamSummary(families: readonly Family[]): string[] {
  const width = Math.max(...families.map((f) => f.name.length));
  return families.map((f) => `${f.name.padEnd(width)}  ${Object.keys(f.hyperParams).join(', ')}`);
}

/** A schema entry as JSON: type, bounds or choices, the default per data kind where it exists, help. */
export function hyperParamJson(spec: HpSpec): Record<string, unknown> {
  const { default: _d, help, only: _o, formerly, ...shape } = spec;
  const defaults = Object.fromEntries(DATA_KINDS.filter((k) => existsOn(spec, k)).map((k) => [k, defaultOn(spec, k)]));
  return { ...shape, default: defaults, help, ...(formerly ? { formerly } : {}) };
}

/** docs/hyper-parameters.md's tables: one per family. */
export function hyperParamMarkdown(families: readonly Family[]): string {
  const cell = (s: string) => s.replaceAll('|', '\\|');
  const parts = families.map((f) => {
    const rows = Object.entries(f.hyperParams).map(
      ([name, spec]) =>
        `| \`${name}\` | ${spec.type} | ${cell(describeRange(spec))} | ${cell(describeDefault(spec))} | ${cell(spec.help)}${spec.formerly ? ` (formerly ${spec.formerly.map((n) => `\`${n}\``).join(', ')})` : ''} |`,
    );
    return [`### ${f.name}`, '', cell(f.title), '', '| name | type | allowed | default | what it sets |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
  });
  return `${parts.join('\n\n')}\n`;
}
