/**
 * fixtures/README.md maps every generator script to the golden files it writes and the tests that
 * read them. This keeps the map from drifting: every committed fixture file and every generator
 * script must be covered by a path the README names, and every repository path it names must exist.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const README = join(REPO, 'fixtures', 'README.md');
/** Written by the scripts but not golden data: the README and pins themselves, Python caches. */
const IGNORED = /^fixtures\/(README\.md|requirements\.txt)$|\/__pycache__\//;
/** Too broad to count as listing a file (they would cover everything). */
const TOO_BROAD = new Set(['fixtures/', 'fixtures/golden/', 'packages/']);

function filesUnder(dir: string): string[] {
  return readdirSync(join(REPO, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(REPO, join(e.parentPath, e.name)).split('\\').join('/'))
    .filter((p) => !IGNORED.test(p))
    .sort();
}

/**
 * The repository paths the README names in backticks: exact files, folders (ending in `/`), or
 * patterns where `*` or a `<placeholder>` stands for part of one path segment.
 */
function namedPaths(text: string): { raw: string; re: RegExp }[] {
  const raws = [...text.matchAll(/`((?:fixtures|packages)\/[^`\s]*)`/g)].map((m) => m[1]!);
  return [...new Set(raws)].map((raw) => {
    const body = raw
      .split(/(\*|<[^>]+>)/)
      .map((part, i) => (i % 2 === 1 ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    return { raw, re: new RegExp(`^${body}${raw.endsWith('/') ? '' : '$'}`) };
  });
}

describe('fixtures/README.md', () => {
  it('exists', () => {
    expect(existsSync(README)).toBe(true);
  });
  const text = existsSync(README) ? readFileSync(README, 'utf8') : '';
  const named = namedPaths(text);
  const committed = [...filesUnder('fixtures'), ...filesUnder('packages/metrics/weights')];

  it('names every generator script', () => {
    const scripts = committed.filter((p) => /^fixtures\/scripts\/[^/]+\.py$/.test(p));
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((s) => !text.includes(`\`${s}\``))).toEqual([]);
  });

  it('covers every committed fixture and golden file', () => {
    const covering = named.filter((n) => !TOO_BROAD.has(n.raw));
    expect(committed.filter((f) => !covering.some((n) => n.re.test(f)))).toEqual([]);
  });

  it('names only paths that exist', () => {
    const missing = named.filter(({ raw, re }) => {
      const wild = raw.search(/\*|</);
      if (wild < 0) return !existsSync(join(REPO, raw));
      const dir = raw.slice(0, raw.lastIndexOf('/', wild) + 1);
      return !existsSync(join(REPO, dir)) || !filesUnder(dir).some((f) => re.test(f));
    });
    expect(missing.map((n) => n.raw)).toEqual([]);
  });
});
