import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/expect.js';

const DIST = new URL('../../dist/', import.meta.url).href;

/** Runs `loadOrt` in a fresh process with HOME in a temp folder; `session` also creates one. */
function probe(env: Record<string, string | undefined>, session: boolean): { home: string; pid: number; value: string | null } {
  const home = tempDir('gen-eval-ort-home-');
  const script = `
    const { loadOrt } = await import('${DIST}extractors/ort.js');
    const { encodeModel, DataType } = await import('${DIST}onnx/proto.js');
    const ort = await loadOrt();
    if (${session}) {
      const v = (name) => ({ name, dataType: DataType.FLOAT, dims: [1] });
      const s = await ort.InferenceSession.create(encodeModel({ nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }], initializers: [], inputs: [v('x')], outputs: [v('y')] }));
      await s.release();
    }
    process.stdout.write(JSON.stringify({ pid: process.pid, value: process.env.ORT_DISABLE_TELEMETRY ?? null }));`;
  const childEnv: Record<string, string | undefined> = { ...process.env, HOME: home, ...env };
  for (const k of Object.keys(childEnv)) if (childEnv[k] === undefined) delete childEnv[k];
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: childEnv as NodeJS.ProcessEnv, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`node exited ${r.status}: ${r.stderr}`);
  return { home, ...(JSON.parse(r.stdout) as { pid: number; value: string | null }) };
}

describe('onnxruntime is loaded with its usage telemetry off', () => {
  it('a session leaves no device id or event queue in HOME and no mat-debug log in /tmp', () => {
    const { home, pid, value } = probe({ ORT_DISABLE_TELEMETRY: undefined }, true);
    expect(value).toBe('1');
    expect(existsSync(join(home, '.cache', 'Microsoft'))).toBe(false);
    expect(existsSync(`/tmp/mat-debug-${pid}.log`)).toBe(false);
  });

  it('keeps a value the user set', () => {
    expect(probe({ ORT_DISABLE_TELEMETRY: '0' }, false).value).toBe('0');
  });
});
