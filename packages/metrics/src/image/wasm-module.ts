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
function instantiateEmbedded<T extends WasmMemoryExports>(base64: string): T | null {
  try {
    const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (WA === undefined) return null;
    return new WA.Instance(new WA.Module(Buffer.from(base64, 'base64')), {}).exports as unknown as T;
  } catch {
    return null;
  }
}

/** Past this, an instance is dropped after use: WebAssembly memory never shrinks. */
const MAX_KEPT_MEMORY = 1 << 26;

/**
 * This thread's instance of one embedded kernel module, made on first use. After a call on a
 * huge image grew its memory past 64 MiB, `release` drops it and the next call starts afresh.
 */
export class EmbeddedKernels<T extends WasmMemoryExports> {
  private instance: T | null | undefined;
  constructor(private readonly base64: string) {}

  /** The instance, or null where WebAssembly SIMD is unavailable (callers use JS). */
  get(): T | null {
    if (this.instance === undefined) this.instance = instantiateEmbedded<T>(this.base64);
    return this.instance;
  }

  /** The instance's memory grown to at least `bytes`; views of an earlier buffer are stale after this. */
  memory(k: T, bytes: number): ArrayBuffer {
    const have = k.memory.buffer.byteLength;
    if (bytes > have) k.memory.grow(Math.ceil((bytes - have) / 65536));
    return k.memory.buffer;
  }

  /** Call when a run is done: forgets an instance whose memory grew past 64 MiB. */
  release(): void {
    if (this.instance && this.instance.memory.buffer.byteLength > MAX_KEPT_MEMORY) this.instance = undefined;
  }
}

export const align16 = (bytes: number): number => (bytes + 15) & ~15;
