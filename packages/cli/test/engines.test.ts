/**
 * The Node versions the root package.json declares ("engines") are ones every locked dependency
 * accepts, so a clean `npm install` on any of them prints no EBADENGINE warning; the Node 24 that
 * CI pins, the Node running these tests, the README's set-up line and each published package (what
 * npm checks when a user installs it outside this workspace) agree with them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../../', import.meta.url);
const read = (path: string): string => readFileSync(fileURLToPath(new URL(path, ROOT)), 'utf8');

interface LockEntry {
  version?: string;
  engines?: { node?: string };
}
const declared = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, LockEntry> };

describe('supported Node versions', () => {
  it('every locked package accepts every Node version the project declares', () => {
    const misfits = Object.entries(lock.packages).flatMap(([path, entry]) => {
      const range = entry.engines?.node;
      if (path === '' || range === undefined || semver.subset(declared, range)) return [];
      return [`${path}@${entry.version ?? '?'} wants node ${range}`];
    });
    expect(misfits).toEqual([]);
  });

  it("CI's pinned Node 24 and the Node running the tests are declared", () => {
    const pinned = /^NODE24_VERSION=(\S+)$/m.exec(read('.ci/run'))?.[1];
    expect(pinned).toBeDefined();
    expect(semver.major(pinned ?? '')).toBe(24);
    expect(semver.satisfies(pinned ?? '', declared)).toBe(true);
    expect(semver.satisfies(process.version, declared)).toBe(true);
  });

  it("the README's set-up section states the declared lower bounds", () => {
    const setUp = /^## Set up\n([\s\S]*?)^## /m.exec(read('README.md'))?.[1] ?? '';
    const bounds = [...declared.matchAll(/(\d+)\.(\d+)\.\d+/g)].map(([, major, minor]) => `${major}.${minor}`);
    expect(bounds.length).toBeGreaterThan(0);
    for (const bound of bounds) expect(setUp).toContain(bound);
    expect(setUp).toMatch(/tested on Node 20 and 24/);
  });

  it('every published package declares the same Node versions', () => {
    const { workspaces } = JSON.parse(read('package.json')) as { workspaces: string[] };
    expect(workspaces.length).toBeGreaterThan(0);
    for (const dir of workspaces) {
      const pkg = JSON.parse(read(`${dir}/package.json`)) as { name: string; engines?: { node?: string } };
      expect(pkg.engines?.node, pkg.name).toBe(declared);
    }
  });
});
