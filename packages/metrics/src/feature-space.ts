/**
 * The feature space a distance was measured in, read from the extractor's name (which carries the
 * network, the first hex digits of its weights' SHA-256 and its output: `inception@6726825d:2048`,
 * `dinov2@…`, `onnx@1a2b3c4d:224x224:…`). A Fréchet distance is "FID" only in pytorch-fid's
 * Inception space; in any other space it is the Fréchet distance of those features (Stein et al.
 * 2023 call it FD-DINOv2 for DINOv2), a number on another scale that must say so wherever shown.
 */
import type { LoadedInput } from './pipeline/load-input.js';

/** What a result's `details.feature_space` records (snake_case, as every `--json`). */
export interface FeatureSpace {
  /** The extractor's full name (network, weights hash, output). */
  readonly extractor: string;
  /** The network: the name up to its first `@` or `:` (`inception`, `dinov2`, `clip`, `onnx`, `mnist`). */
  readonly network: string;
  /** The weights' short SHA-256, when the name carries one. */
  readonly weights_sha256?: string;
  /** The preprocessing profile (`pytorch-fid`, `clean`, …), when images were preprocessed here. */
  readonly profile?: string;
}

/**
 * The short weights hash in an extractor name: after `@` (`onnx@1a2b3c4d:…`), or pytorch-fid's
 * file-name suffix (`…-6726825d.pth`); undefined when the name carries none.
 */
export function weightsHashOf(extractor: string): string | undefined {
  return /@([0-9a-f]{6,})/.exec(extractor)?.[1] ?? /-([0-9a-f]{8})(?:\.pth)?\b/.exec(extractor)?.[1];
}

/** The network part of an extractor name (see {@link FeatureSpace.network}). */
export function networkOf(extractor: string): string {
  return /^[^@:]*/.exec(extractor)![0];
}

/** The feature space of an extractor name and profile. */
export function featureSpaceOf(extractor: string, profile?: string): FeatureSpace {
  const weights = weightsHashOf(extractor);
  return { extractor, network: networkOf(extractor), ...(weights !== undefined ? { weights_sha256: weights } : {}), ...(profile !== undefined ? { profile } : {}) };
}

/** Whether a Fréchet distance in this space is FID proper (pytorch-fid's Inception features). */
export function isInceptionSpace(extractor: string): boolean {
  return networkOf(extractor) === 'inception';
}

/**
 * How to name a Fréchet distance measured with `extractor` (undefined: features from files, whose
 * extractor is not known here): `FID` for Inception, else e.g. `FD in dinov2@1a2b3c4d:vitl14
 * space (FD-dinov2, not Inception FID)`.
 */
export function frechetName(extractor: string | undefined): string {
  if (extractor === undefined || isInceptionSpace(extractor)) return 'FID';
  return `FD in ${extractor} space (FD-${networkOf(extractor)}, not Inception FID)`;
}

/**
 * The feature space of loaded inputs: the first image input's extractor and profile (inputs of one
 * command share one extractor); undefined when every input is a feature or statistics file.
 */
export function featureSpaceOfInputs(inputs: readonly LoadedInput[]): FeatureSpace | undefined {
  const images = inputs.find((i) => i.kind === 'images');
  return images === undefined ? undefined : featureSpaceOf(images.set.extractor, images.set.profile.name);
}
