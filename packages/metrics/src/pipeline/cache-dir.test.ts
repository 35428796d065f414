import { describe, expect, it } from 'vitest';
import { cacheDir } from './cache-dir.js';

describe('cacheDir', () => {
  it('prefers $GEN_EVAL_CACHE, then the platform convention', () => {
    expect(cacheDir({ GEN_EVAL_CACHE: '/c' }, 'linux')).toBe('/c');
    expect(cacheDir({ HOME: '/h' }, 'linux')).toBe('/h/.cache/gen-eval');
    expect(cacheDir({ HOME: '/h', XDG_CACHE_HOME: '/x' }, 'linux')).toBe('/x/gen-eval');
    expect(cacheDir({ HOME: '/h' }, 'darwin')).toBe('/h/Library/Caches/gen-eval');
  });
});
