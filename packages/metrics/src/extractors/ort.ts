/**
 * onnxruntime-node, imported on first use. A static import would load its native addon (and
 * onnxruntime's shared library) for anyone who imports the package, even just to compute a FID
 * from `.npy` features; the extractors and sessions await `loadOrt()` instead.
 */
import type * as OrtModule from 'onnxruntime-node';

/** The onnxruntime-node module. */
export type Ort = typeof OrtModule;

let ortPromise: Promise<Ort> | undefined;

/** Imports onnxruntime-node once (cached) and silences its own logger. */
export function loadOrt(): Promise<Ort> {
  ortPromise ??= import('onnxruntime-node').then((m) => {
    const ort: Ort = m;
    // onnxruntime's logger prints multi-line, coloured errors on stderr (e.g. when the CUDA provider
    // library is missing); every failure reaches the caller as an exception anyway, and library code
    // must not write to stderr, so only fatal messages are let through. Set before the first session.
    ort.env.logLevel = 'fatal';
    return ort;
  });
  return ortPromise;
}
