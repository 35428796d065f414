/**
 * docs/hyper-parameters.md documents every hyper-parameter of every family; its tables must be
 * the ones the schemas generate (the families' `hyperParams`), so the doc cannot drift from them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FAMILIES } from './families/index.js';
import { generatedPart, replaceGenerated } from './hyper-param-docs.js';
import { hyperParamMarkdown } from './hyper-param-text.js';

const DOC = fileURLToPath(new URL('../../../docs/hyper-parameters.md', import.meta.url));

describe('docs/hyper-parameters.md', () => {
  it('has the tables the schemas generate (else: npm run build && npm run docs:hyper-params -w @gen-eval/models)', () => {
    expect(generatedPart(readFileSync(DOC, 'utf8'))).toBe(hyperParamMarkdown(FAMILIES));
  });

  it('names every hyper-parameter of every family', () => {
    const part = generatedPart(readFileSync(DOC, 'utf8'))!;
    for (const f of FAMILIES) {
      const section = part.split(`### ${f.name}\n`)[1]!.split('\n### ')[0]!;
      for (const name of Object.keys(f.hyperParams)) expect(section, `${f.name}.${name}`).toContain(`| \`${name}\` |`);
    }
  });

  it('replacing the generated part keeps the rest and reads back the same', () => {
    const doc = readFileSync(DOC, 'utf8');
    const again = replaceGenerated(doc, 'x\n');
    expect(generatedPart(again)).toBe('x\n');
    expect(replaceGenerated(again, hyperParamMarkdown(FAMILIES))).toBe(doc);
  });
});
