/**
 * The one place where a run's hyper-parameters are resolved: the family's schema
 * (`FamilyDefinition.hyperParams`) gives the defaults for the data kind, and every value — given
 * with `--hp`, or read back from a resumed run's config.json — is checked against it (name, type,
 * allowed values) before anything is written: a zero latent size, a β1 of 5, a million critic
 * steps that no signal can interrupt are each one line naming the parameter.
 */
import { usageError } from '@gen-eval/metrics/errors';
import type { RunHyperParams } from '@gen-eval/metrics/runs';
import type { FamilyDefinition } from '../family.js';
import { existsOn, parseHpValue, renamedTo, schemaDefaults, upgradeNames, type DataKind, type HyperParams } from '../hyper-param-schema.js';

/** Hyper-parameter values of a run (config.json's `hp`): every family has batchSize and lr. */
export type { RunHyperParams };

type Family = Pick<FamilyDefinition, 'name' | 'hyperParams'>;

const kindOf = (image: boolean): DataKind => (image ? 'images' : 'points');

/** A family's defaults for its data (2-D points, or images when `image`). */
export function familyDefaults(family: Family, image: boolean): RunHyperParams {
  return schemaDefaults(family.hyperParams, kindOf(image)) as RunHyperParams;
}

/** The one-line error for a name the family does not have on this data (a renamed one says its new name). */
function unknownName(family: Family, name: string, kind: DataKind): Error {
  const names = Object.keys(family.hyperParams).filter((k) => existsOn(family.hyperParams[k]!, kind));
  const now = renamedTo(family.hyperParams, name);
  if (now !== undefined) return usageError(`${family.name} has no hyper-parameter "${name}": it is called ${now} now`);
  const spec = Object.hasOwn(family.hyperParams, name) ? family.hyperParams[name] : undefined;
  const elsewhere = spec ? ` for ${kind === 'images' ? 'image' : '2-D'} data (it applies to ${spec.only === 'images' ? 'image' : '2-D'} data)` : '';
  return usageError(`${family.name} has no hyper-parameter "${name}"${elsewhere}; it has ${names.join(', ')}`);
}

/**
 * The family's defaults for its data with `overrides` over them, every value checked against the
 * schema. `recorded`: the overrides are a run's config.json, whose names of older builds are read
 * under their current ones.
 */
export function mergeHyperParams(family: Family, overrides: Readonly<HyperParams> = {}, image = false, recorded = false): RunHyperParams {
  const kind = kindOf(image);
  const hp: HyperParams = { ...familyDefaults(family, image) };
  const given = recorded ? upgradeNames(family.hyperParams, overrides) : overrides;
  for (const [k, v] of Object.entries(given)) {
    const spec = Object.hasOwn(family.hyperParams, k) ? family.hyperParams[k] : undefined;
    if (!spec || !existsOn(spec, kind)) throw unknownName(family, k, kind);
    hp[k] = parseHpValue(k, spec, v, kind);
  }
  return hp as RunHyperParams;
}
