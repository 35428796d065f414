/**
 * onnxruntime-node, imported on first use. A static import would load its native addon (and
 * onnxruntime's shared library) for anyone who imports the package, even just to compute a FID
 * from `.npy` features; the extractors and sessions await `loadOrt()` instead.
 */
import type * as OrtModule from 'onnxruntime-node';

/** The onnxruntime-node module. */
export type Ort = typeof OrtModule;

let ortPromise: Promise<Ort> | undefined;

/**
 * Imports onnxruntime-node once (cached) with its usage telemetry off and its own logger silenced.
 * onnxruntime ≥ 1.29 keeps a device id and an event queue under ~/.cache/Microsoft/DeveloperTools,
 * leaves a `mat-debug-<pid>.log` in /tmp per process and uploads the events to Microsoft when online:
 * an evaluation tool run in CI on private data must not, so `ORT_DISABLE_TELEMETRY` defaults to 1
 * (a value the user set is kept). It is read when the library starts, hence before the import.
 */
export function loadOrt(): Promise<Ort> {
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
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
