/**
 * sharp, imported on first use: a static import would load libvips' native addon for anyone who
 * imports the package, even code that never decodes an image.
 */
import type SharpModule from 'sharp';

/** sharp's default export (the `sharp(input, options)` factory). */
export type Sharp = typeof SharpModule;

let sharpPromise: Promise<Sharp> | undefined;

/** Imports sharp once (cached). */
export function loadSharp(): Promise<Sharp> {
  sharpPromise ??= import('sharp').then((m) => m.default);
  return sharpPromise;
}
