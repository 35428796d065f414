/** The grammar file's checks: a damaged grammar is one error naming the file and the field. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTION_GRAMMAR_FILE, loadCaptionGrammar } from './grammar.js';

const dir = mkdtempSync(join(tmpdir(), 'caption-grammar-'));
let count = 0;

/** The grammar as plain, editable JSON. */
interface EditableGrammar {
  bases?: Record<string, { attributes: Record<string, { thresholds: unknown[]; values: unknown[] }>; templates: string[]; classes: unknown[] }>;
  article?: unknown;
}

/** Writes the shipped grammar after `edit` and loads it. */
function loadEdited(edit: (g: Required<EditableGrammar>) => void): () => unknown {
  const g = JSON.parse(readFileSync(CAPTION_GRAMMAR_FILE, 'utf8')) as Required<EditableGrammar>;
  edit(g);
  const file = join(dir, `g${count++}.json`);
  writeFileSync(file, JSON.stringify(g));
  return () => loadCaptionGrammar(file);
}

describe('loadCaptionGrammar', () => {
  it('loads the shipped grammar once', () => {
    const g = loadCaptionGrammar();
    expect(loadCaptionGrammar()).toBe(g);
    expect(Object.keys(g.bases)).toEqual(['mnist', 'fashion-mnist']);
    expect(g.bases.mnist!.classes[7]).toEqual(['seven', '7']);
  });

  it('names the file that cannot be read', () => {
    const missing = join(dir, 'none.json');
    expect(() => loadCaptionGrammar(missing)).toThrow(`${missing}: cannot read the caption grammar`);
  });

  it('rejects a damaged grammar, naming the field', () => {
    expect(loadEdited((g) => delete (g as EditableGrammar).bases)).toThrow(/not a caption grammar \(no "bases"\)/);
    expect(loadEdited((g) => (g.bases.mnist!.attributes.slant!.thresholds = []))).toThrow(/bases\.mnist: slant\.thresholds must be 1 row\(s\) \[t1, t2\]/);
    expect(loadEdited((g) => (g.bases['fashion-mnist']!.attributes.size!.thresholds[3] = [5, 2]))).toThrow(/size\.thresholds must be 10 row/);
    expect(loadEdited((g) => g.bases.mnist!.templates.push('a {colour} {class}'))).toThrow(/template "a \{colour\} \{class\}" has an unknown placeholder \{colour\}/);
    expect(loadEdited((g) => g.bases.mnist!.templates.push('a {thickness} thing'))).toThrow(/does not name the class/);
    expect(loadEdited((g) => g.bases.mnist!.classes.pop())).toThrow(/classes must be 10 non-empty lists/);
    expect(loadEdited((g) => (g.bases.mnist!.attributes.thickness!.values = [['thin']]))).toThrow(/thickness\.values must be 3/);
    expect(loadEdited((g) => delete (g as EditableGrammar).article)).toThrow(/article must list/);
  });
});
