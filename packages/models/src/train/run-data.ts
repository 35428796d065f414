/**
 * The data a run trains on, as its family needs it: super-resolution families get unpaired image
 * sets paired with their own downsampled images, `dataPairs` folders load as pairs, and the model
 * is told the data's shapes and classifier (ModelContext.data).
 */
import { orList, usageError } from '@gen-eval/metrics/errors';
import type { DataRecord } from '@gen-eval/metrics/runs';
import { conditionNeeds, type Condition } from '../condition.js';
import type { DataInfo, FamilyDefinition } from '../family.js';
import type { Dataset } from '../data/datasets.js';
import { loadFolderPairs, superResolutionPairs } from '../data/paired.js';
import { FAMILIES } from '../families/index.js';
import { classifierFor } from './image-eval.js';

/** The `scale` of a super-resolution family's condition (1: none). */
const scaleOf = (c: Condition) => (c.kind === 'image' && c.scale !== undefined ? c.scale : 1);

/**
 * The run's data as its family trains on it: a super-resolution family (condition with `scale`)
 * pairs an unpaired image set with its own downsampled images (data/paired.ts); any other data as it is.
 */
export function dataForFamily(condition: Condition, data: Dataset): Dataset {
  const scale = scaleOf(condition);
  return scale > 1 && data.image && !data.input ? superResolutionPairs(data, scale) : data;
}

/** `dataPairs` [inputs, targets] as folder pairs for `family`; refused (before any file is read) for families not trained on pairs. */
export async function loadPairs(family: FamilyDefinition, pairs: readonly [string, string], record?: DataRecord): Promise<Dataset> {
  if (!conditionNeeds(family.condition).pairs) {
    const paired = FAMILIES.filter((f) => conditionNeeds(f.condition).pairs).map((f) => f.name);
    throw usageError(`\`dataPairs\` applies to models trained on paired images (${paired.length ? orList(paired) : 'none registered'}); ${family.name} is not one`, {
      options: ['dataPairs'],
    });
  }
  return loadFolderPairs(pairs[0], pairs[1], {
    scale: scaleOf(family.condition),
    ...(record?.channels !== undefined ? { channels: record.channels } : {}),
    ...(record?.targets?.channels !== undefined ? { targetChannels: record.targets.channels } : {}),
  });
}

/** What a family's model is told of its data (ModelContext.data); the loop and the family tests build it here. */
export function dataInfo(d: Dataset): DataInfo {
  const classifier = classifierFor(d);
  return {
    dims: d.dims,
    ...(d.image ? { image: d.image } : {}),
    ...(d.classes ? { classes: d.classes } : {}),
    ...(d.input ? { input: d.input } : {}),
    ...(classifier ? { classifier } : {}),
    ...(d.text ? { text: { dims: d.text.dims, encoder: d.text.name } } : {}),
  };
}
