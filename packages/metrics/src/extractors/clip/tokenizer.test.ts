import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixText } from './text-clean.js';
import { CLIP_CONTEXT_LENGTH, CLIP_EOT, CLIP_SOT, clipEncode, clipTokenize } from './tokenizer.js';

interface Case {
  text: string;
  fixed: string;
  ids: number[];
  context: number[];
}
const golden = JSON.parse(readFileSync(new URL('../../../../../fixtures/golden/clip/tokens.json', import.meta.url), 'utf8')) as { sot: number; eot: number; cases: Case[] };

describe('CLIP tokenizer against openai/CLIP simple_tokenizer.py', () => {
  it('uses the reference start and end tokens', () => {
    expect([CLIP_SOT, CLIP_EOT]).toEqual([golden.sot, golden.eot]);
  });

  it.each(golden.cases.map((c) => [JSON.stringify(c.text).slice(0, 60), c] as const))('ftfy.fix_text, encode and tokenize: %s', (_name, c) => {
    expect(fixText(c.text)).toBe(c.fixed);
    expect(clipEncode(c.text)).toEqual(c.ids);
    const tokens = clipTokenize(c.text);
    expect(Array.from(tokens.ids)).toEqual(c.context);
    expect(tokens.truncated).toBe(c.ids.length + 2 > CLIP_CONTEXT_LENGTH);
    expect(tokens.tokenCount).toBe(c.ids.length);
  });

  it('keeps the end token last when truncating', () => {
    const t = clipTokenize('cat '.repeat(200));
    expect(t.truncated).toBe(true);
    expect(t.ids[0]).toBe(CLIP_SOT);
    expect(t.ids[CLIP_CONTEXT_LENGTH - 1]).toBe(CLIP_EOT);
  });
});
