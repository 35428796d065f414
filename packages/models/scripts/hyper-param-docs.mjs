#!/usr/bin/env node
/**
 * `npm run docs:hyper-params` — rewrites the generated part of docs/hyper-parameters.md from the
 * families' schemas (run `npm run build` first; src/hyper-param-docs.test.ts fails while the two differ).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FAMILIES, hyperParamMarkdown } from '../dist/index.js';
import { replaceGenerated } from '../dist/hyper-param-docs.js';

const doc = fileURLToPath(new URL('../../../docs/hyper-parameters.md', import.meta.url));
writeFileSync(doc, replaceGenerated(readFileSync(doc, 'utf8'), hyperParamMarkdown(FAMILIES)));
process.stderr.write(`wrote ${doc}\n`);
