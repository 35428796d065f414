/**
 * The image kernels' WebAssembly plumbing: instantiating an embedded module (one instance per
 * thread) with its own growable memory. Where WebAssembly (SIMD) is unavailable, e.g. under
 * `--jitless`, callers fall back to their JS loops.
 */

/** What every image kernel module exports besides its functions. */
export interface WasmMemoryExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
}

/** The part of the WebAssembly JS API used here (the project's TS lib has no WebAssembly types). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** A fresh instance of the base64-embedded module, or null without WebAssembly SIMD. */
export function instantiateEmbedded<T extends WasmMemoryExports>(base64: string): T | null {
  try {
    const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (WA === undefined) return null;
    return new WA.Instance(new WA.Module(Buffer.from(base64, 'base64')), {}).exports as unknown as T;
  } catch {
    return null;
  }
}

/** Grows the instance's memory to at least `bytes`; true when it grew (views must be remade). */
export function ensureMemory(k: WasmMemoryExports, bytes: number): boolean {
  const have = k.memory.buffer.byteLength;
  if (bytes <= have) return false;
  k.memory.grow(Math.ceil((bytes - have) / 65536));
  return true;
}

/** Past this, an instance is dropped after use: WebAssembly memory never shrinks. */
export const MAX_KEPT_MEMORY = 1 << 26;

export const align16 = (bytes: number): number => (bytes + 15) & ~15;
