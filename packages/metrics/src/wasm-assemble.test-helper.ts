/**
 * Test helper: assembles a .wat source with wabt (as bench/build-wasm.mjs does) and returns the
 * module base64, to check that an embedded module still matches its source.
 */
import { readFileSync } from 'node:fs';
import wabtInit from 'wabt';

export async function assembleWatBase64(url: URL): Promise<string> {
  const wabt = await wabtInit();
  const features = { simd: true, threads: true };
  const mod = wabt.parseWat(url.pathname.split('/').pop()!, readFileSync(url, 'utf8'), features);
  try {
    (mod.validate as (f: typeof features) => void).call(mod, features); // takes features (not in its .d.ts)
    return Buffer.from(mod.toBinary({ log: false, write_debug_names: false }).buffer).toString('base64');
  } finally {
    mod.destroy();
  }
}
