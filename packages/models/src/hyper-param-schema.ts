/**
 * Hyper-parameter schemas. Each family declares every hyper-parameter once (`FamilyDefinition.
 * hyperParams`): its type, allowed values, default per data kind and one line of help. The run's
 * defaults, the checks of `--hp` values and of a resumed run's config.json, the type of `ctx.hp`
 * in `create`, `train --help`, `train --list` (and `--json`) and docs/hyper-parameters.md are all
 * derived from that declaration, so none of them can drift from it.
 */
import { internalError, usageError } from '@gen-eval/metrics/errors';

/** The two kinds of data a family trains on: 2-D points, or images. */
export type DataKind = 'points' | 'images';
export const DATA_KINDS: readonly DataKind[] = ['points', 'images'];

/** A value per data kind (where the kinds differ; one plain value stands for both). */
export interface PerKind<T> {
  readonly points: T;
  readonly images: T;
}

interface HpBase<T> {
  /** One line: what the parameter does (`train --list`, the docs). */
  readonly help: string;
  /** The default: one value for both data kinds, or one per kind. */
  readonly default: T | PerKind<T>;
  /** The parameter exists on this data kind only (its default is that kind's). */
  readonly only?: DataKind;
  /** Its names in runs of older builds: a config.json that uses one is read under this name. */
  readonly formerly?: readonly string[];
}

/** A count or size: whole numbers from `min` to `max` (inclusive); every count is bounded. */
export interface IntHp extends HpBase<number> {
  readonly type: 'int';
  readonly min: number;
  readonly max: number;
  /** A lower maximum on images, where one unit costs far more memory or time (batch, width). */
  readonly imageMax?: number;
  /** A higher minimum on images, where the conv networks need more (time features). */
  readonly imageMin?: number;
  /** Only even values (sinusoidal features come in sin/cos pairs). */
  readonly even?: boolean;
}

/** A real number; bounds are inclusive unless marked exclusive. */
export interface RealHp extends HpBase<number> {
  readonly type: 'real';
  readonly min?: number;
  readonly minExclusive?: boolean;
  readonly max?: number;
  readonly maxExclusive?: boolean;
}

/** One of a few named choices. */
export interface EnumHp<C extends string = string> extends HpBase<C> {
  readonly type: 'enum';
  readonly choices: readonly C[];
}

/** true or false. */
export interface BoolHp extends HpBase<boolean> {
  readonly type: 'bool';
}

/** A data set: a built-in name, a FILE.npy or a folder of images (checked when it is loaded). */
export interface DataHp extends HpBase<string> {
  readonly type: 'data';
}

export type HpSpec = IntHp | RealHp | EnumHp | BoolHp | DataHp;
export type HpType = HpSpec['type'];

/** A family's hyper-parameters by name; batchSize and lr are common to every family. */
export type HpSchema = Readonly<Record<string, HpSpec>> & { readonly batchSize: IntHp; readonly lr: RealHp };

type ValueOf<S> = S extends { readonly type: 'enum'; readonly choices: readonly (infer C)[] } ? C : S extends BoolHp ? boolean : S extends DataHp ? string : number;
type OneKind<S> = S extends { readonly only: DataKind } ? true : false;

/** The values of a schema's hyper-parameters (the type of `ctx.hp`); one-kind ones are optional. */
export type HpValues<S extends Readonly<Record<string, HpSpec>>> = {
  -readonly [K in keyof S as OneKind<S[K]> extends true ? never : K]: ValueOf<S[K]>;
} & {
  -readonly [K in keyof S as OneKind<S[K]> extends true ? K : never]?: ValueOf<S[K]>;
};

/** Hyper-parameter values: flat, JSON-serialisable (they go into config.json as they are). */
export type HyperParams = Record<string, number | string | boolean>;

/** An integer hyper-parameter. */
export const int = <O extends Omit<IntHp, 'type'>>(o: O): O & { readonly type: 'int' } => ({ type: 'int', ...o });
/** A real hyper-parameter. */
export const real = <O extends Omit<RealHp, 'type'>>(o: O): O & { readonly type: 'real' } => ({ type: 'real', ...o });
/** A hyper-parameter with named choices. */
export const oneOf = <const C extends string, O extends Omit<EnumHp<C>, 'type' | 'choices'>>(
  choices: readonly C[],
  o: O,
): O & { readonly type: 'enum'; readonly choices: readonly C[] } => ({
  type: 'enum',
  choices,
  ...o,
});
/** A true/false hyper-parameter. */
export const bool = <O extends Omit<BoolHp, 'type'>>(o: O): O & { readonly type: 'bool' } => ({ type: 'bool', ...o });
/** A hyper-parameter naming a data set. */
export const dataSet = <O extends Omit<DataHp, 'type'>>(o: O): O & { readonly type: 'data' } => ({ type: 'data', ...o });

/** The same declaration with another default (and help, where the family words it its own way). */
export function withDefault<S extends HpSpec>(spec: S, value: ValueOf<S> | PerKind<ValueOf<S>>, help?: string): S {
  return { ...spec, default: value, ...(help !== undefined ? { help } : {}) };
}

/** True when `spec` exists on data of `kind`. */
export function existsOn(spec: HpSpec, kind: DataKind): boolean {
  return spec.only === undefined || spec.only === kind;
}

const isPerKind = <T>(d: T | PerKind<T>): d is PerKind<T> => typeof d === 'object' && d !== null;

/** The default of `spec` on `kind` (undefined where it does not exist). */
export function defaultOn(spec: HpSpec, kind: DataKind): number | string | boolean | undefined {
  if (!existsOn(spec, kind)) return undefined;
  const d: unknown = spec.default;
  return isPerKind(d) ? (d as PerKind<number | string | boolean>)[kind] : (d as number | string | boolean);
}

/** Every default of a schema on `kind`, in declaration order. */
export function schemaDefaults<S extends HpSchema>(schema: S, kind: DataKind): HpValues<S> {
  const out: HyperParams = {};
  for (const [name, spec] of Object.entries(schema)) {
    const v = defaultOn(spec, kind);
    if (v !== undefined) out[name] = v;
  }
  return out as HpValues<S>;
}

/** The largest value of a number hyper-parameter on `kind` (undefined: unbounded). */
export function maxOn(spec: IntHp | RealHp, kind: DataKind): number | undefined {
  return spec.type === 'int' && kind === 'images' && spec.imageMax !== undefined ? Math.min(spec.imageMax, spec.max) : spec.max;
}

/** The smallest value of a number hyper-parameter on `kind` (undefined: unbounded). */
export function minOn(spec: IntHp | RealHp, kind: DataKind): number | undefined {
  return spec.type === 'int' && kind === 'images' && spec.imageMin !== undefined ? Math.max(spec.imageMin, spec.min) : spec.min;
}

/** True when the allowed values of `spec` are narrower on images (the error then says "on image data"). */
export function narrowerOnImages(spec: HpSpec): boolean {
  return spec.type === 'int' && (spec.imageMax !== undefined || spec.imageMin !== undefined);
}

/** The allowed values in words: "an integer from 1 to 4096", "a number in (0, 1)", "one of a, b". */
export function describeAllowed(spec: HpSpec, kind: DataKind): string {
  switch (spec.type) {
    case 'bool':
      return 'true or false';
    case 'enum':
      return `one of ${spec.choices.join(', ')}`;
    case 'data':
      return 'a data set name, FILE.npy or a folder of images';
    default: {
      const r = spec as IntHp | RealHp;
      const min = minOn(r, kind);
      const max = maxOn(r, kind);
      const minEx = r.type === 'real' && r.minExclusive === true;
      const maxEx = r.type === 'real' && r.maxExclusive === true;
      const what = r.type === 'int' ? (r.even ? 'an even integer' : 'an integer') : 'a number';
      if (min !== undefined && max !== undefined) {
        if (r.type === 'int') return `${what} from ${min} to ${max}`;
        return `${what} in ${minEx ? '(' : '['}${min}, ${max}${maxEx ? ')' : ']'}`;
      }
      if (min !== undefined) return `${what} ${minEx ? '>' : '≥'} ${min}`;
      if (max !== undefined) return `${what} ${maxEx ? '<' : '≤'} ${max}`;
      return what;
    }
  }
}

/** True when the number `v` is allowed by `spec` on `kind`. */
export function numberAllowed(spec: IntHp | RealHp, v: number, kind: DataKind): boolean {
  if (!Number.isFinite(v)) return false;
  if (spec.type === 'int' && (!Number.isInteger(v) || (spec.even === true && v % 2 !== 0))) return false;
  const minEx = spec.type === 'real' && spec.minExclusive === true;
  const maxEx = spec.type === 'real' && spec.maxExclusive === true;
  const min = minOn(spec, kind);
  if (min !== undefined && (minEx ? v <= min : v < min)) return false;
  const max = maxOn(spec, kind);
  return max === undefined || (maxEx ? v < max : v <= max);
}

/**
 * Hyper-parameter `name` given as `raw` (a value, or the text of `--hp NAME=VALUE`) checked
 * against `spec` on `kind`: its value, or a one-line usage error naming the parameter, the
 * allowed values and the value given.
 */
export function parseHpValue(name: string, spec: HpSpec, raw: number | string | boolean, kind: DataKind): number | string | boolean {
  const refuse = (): never => {
    const onImages = kind === 'images' && narrowerOnImages(spec) ? ' on image data' : '';
    throw usageError(`${name} must be ${describeAllowed(spec, kind)}${onImages}, got "${String(raw)}"`);
  };
  switch (spec.type) {
    case 'bool':
      if (raw === true || raw === 'true') return true;
      if (raw === false || raw === 'false') return false;
      return refuse();
    case 'enum':
      return typeof raw === 'string' && (spec.choices as readonly string[]).includes(raw) ? raw : refuse();
    case 'data':
      return typeof raw === 'string' && raw.trim() !== '' ? raw : refuse();
    default: {
      const v = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      return numberAllowed(spec, v, kind) ? v : refuse();
    }
  }
}

/** The spec of `name` in `schema` (an internal error where the family declares none). */
export function specOf(family: { readonly name: string; readonly hyperParams: HpSchema }, name: string): HpSpec {
  const spec = Object.hasOwn(family.hyperParams, name) ? family.hyperParams[name] : undefined;
  if (!spec) throw internalError(`${family.name} declares no hyper-parameter "${name}"`);
  return spec;
}

/** The current name of a hyper-parameter that `schema` knew as `former` in older builds. */
export function renamedTo(schema: HpSchema, former: string): string | undefined {
  return Object.entries(schema).find(([, s]) => s.formerly?.includes(former))?.[0];
}

/** A run's recorded hyper-parameters with every former name replaced by the current one. */
export function upgradeNames(schema: HpSchema, hp: HyperParams): HyperParams {
  const out: HyperParams = {};
  for (const [k, v] of Object.entries(hp)) {
    const now = Object.hasOwn(schema, k) ? k : (renamedTo(schema, k) ?? k);
    if (!Object.hasOwn(out, now) || now === k) out[now] = v;
  }
  return out;
}
