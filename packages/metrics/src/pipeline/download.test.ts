import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile } from './download.js';
import { PYTORCH_FID_WEIGHTS, resolveInceptionWeights, sha256File } from './weights.js';
import { tempDir } from '../testing/temp-dir.js';

/** Every folder this file makes lives in here, removed after its tests. */
const scratch = tempDir('gen-eval-download-');

const body = Buffer.from('pretend these are inception weights '.repeat(5000));
const digest = createHash('sha256').update(body).digest('hex');
let server: Server;
let base = '';

beforeAll(async () => {
  // A loopback server: /ok serves the file, /short promises more bytes than it sends, /missing is 404.
  server = createServer((req, res) => {
    if (req.url === '/ok') {
      res.writeHead(200, { 'content-length': body.length });
      res.end(body);
    } else if (req.url === '/short') {
      res.writeHead(200, { 'content-length': body.length * 2 });
      res.write(body, () => res.destroy());
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const fresh = () => mkdtempSync(join(scratch, 'gen-eval-dl-'));

describe('downloadFile', () => {
  it('downloads, hashes and renames into place', async () => {
    const dir = fresh();
    const dest = join(dir, 'w.pth');
    const got = await downloadFile(`${base}/ok`, dest, { sha256Prefix: digest.slice(0, 8), quiet: true });
    expect(got).toBe(digest);
    expect(readFileSync(dest).equals(body)).toBe(true);
    expect(readdirSync(dir)).toEqual(['w.pth']);
    expect(await sha256File(dest)).toBe(digest);
  });

  it('rejects and removes a file with the wrong hash', async () => {
    const dir = fresh();
    await expect(downloadFile(`${base}/ok`, join(dir, 'w.pth'), { sha256Prefix: '00000000', quiet: true })).rejects.toThrow(
      /SHA-256 .* expected it to start with 00000000; the file was removed/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves nothing behind when the transfer is cut short', async () => {
    const dir = fresh();
    await expect(downloadFile(`${base}/short`, join(dir, 'w.pth'), { quiet: true })).rejects.toThrow(/cut short|failed/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('reports HTTP errors', async () => {
    await expect(downloadFile(`${base}/missing`, join(fresh(), 'w.pth'), { quiet: true })).rejects.toThrow(/HTTP 404/);
  });
});

describe('resolveInceptionWeights', () => {
  it("uses a local file without the network, warning when it is not pytorch-fid's", async () => {
    const file = join(fresh(), 'mine.pth');
    writeFileSync(file, body);
    const noNet = (() => {
      throw new Error('network used');
    }) as unknown as typeof fetch;
    const r = await resolveInceptionWeights({ weights: file, fetchImpl: noNet });
    expect(r.official).toBe(false);
    expect(r.sha256).toBe(digest);
    expect(r.warnings[0]).toMatch(/not comparable to published FIDs/);
  });

  it('fails offline with one line saying where to put the file or which flag to pass', async () => {
    const cache = fresh();
    const offline = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
    }) as unknown as typeof fetch;
    const err = await resolveInceptionWeights({ cache, fetchImpl: offline, quiet: true }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message;
    expect(msg).toContain('ENOTFOUND');
    expect(msg).toContain(join(cache, 'weights', PYTORCH_FID_WEIGHTS.fileName));
    // The library names its option; the CLI words it as `--weights PATH` (cli-wording.ts).
    expect(msg).toContain('give a local weights file as `weights`');
    expect((err as { options?: readonly string[] }).options).toContain('weights');
    expect(msg).not.toContain('\n');
    expect(existsSync(join(cache, 'weights', PYTORCH_FID_WEIGHTS.fileName))).toBe(false);
  });

  it('a missing --weights file is a bad-input error naming it', async () => {
    await expect(resolveInceptionWeights({ weights: '/nonexistent/w.pth' })).rejects.toThrow('/nonexistent/w.pth: no such weights file');
  });
});
