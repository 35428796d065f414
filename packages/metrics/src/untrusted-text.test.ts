import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControls, quoteInput, terminalJson, terminalLine, terminalText } from './untrusted-text.js';

// eslint-disable-next-line no-control-regex -- what must never reach the terminal raw
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Whether GitHub's runner would take the line as a workflow command (V2 `::` first, or legacy `##[` anywhere). */
const isWorkflowCommand = (line: string) => /^\s*::/.test(line) || line.includes('##[');

/** Strings rich in what attacks use: newlines, CR, ESC, `::`, `##[`, separators, bidi overrides. */
const hostile = fc
  .array(fc.oneof(fc.constantFrom('\n', '\r', '\x1b', '\x9b', '\x7f', '\u2028', '\u2029', '\u202e', '\u2066', ':', '::', '#', '##[', ' ', '\t', 'error', ']'), fc.string()), {
    maxLength: 12,
  })
  .map((parts) => parts.join(''));

describe('escapeControls', () => {
  it('shows control characters escaped', () => {
    expect(escapeControls('fid\n::error::x\r\x1b[31m\x00\x7f\x85\u2028\u202e')).toBe('fid\\n::error::x\\r\\x1b[31m\\x00\\x7f\\x85\\u2028\\u202e');
    expect(escapeControls('plain ünïcode ✓ 😀')).toBe('plain ünïcode ✓ 😀');
  });
});

describe('terminalLine / terminalText', () => {
  it('neutralises workflow commands', () => {
    expect(terminalLine('::error::INJECTED')).toBe('\\x3a:error::INJECTED');
    expect(terminalLine('  ::stop-commands::tok')).toBe('  \\x3a:stop-commands::tok');
    expect(terminalLine('x ##[error]INJECTED')).toBe('x ##\\x5berror]INJECTED');
    expect(terminalText('fid  1\n::error::x  2')).toBe('fid  1\n\\x3a:error::x  2');
  });

  it('property: no printed line is a workflow command or holds a raw control character; idempotent', () => {
    fc.assert(
      fc.property(hostile, hostile, (a, b) => {
        const one = terminalLine(`${a}${b}`);
        expect(one).not.toContain('\n');
        expect(one).not.toMatch(RAW_CONTROL);
        expect(isWorkflowCommand(one)).toBe(false);
        expect(terminalLine(one)).toBe(one);
        for (const line of terminalText(`${a}\n${b}`).split('\n')) {
          expect(line).not.toMatch(RAW_CONTROL);
          expect(isWorkflowCommand(line)).toBe(false);
        }
      }),
    );
  });
});

describe('terminalJson', () => {
  it('property: the same value, on one line that is no workflow command and holds no raw control character', () => {
    fc.assert(
      fc.property(fc.dictionary(hostile, fc.oneof(hostile, fc.double())), hostile, (obj, s) => {
        const value = { [s]: obj, list: [s, s] };
        const text = terminalJson(value);
        expect(text).not.toMatch(RAW_CONTROL);
        expect(text).not.toContain('\n');
        expect(isWorkflowCommand(text)).toBe(false);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe('quoteInput', () => {
  it('quotes short input whole, escaped', () => {
    expect(quoteInput('baseline.fid * 1.05')).toBe('"baseline.fid * 1.05"');
    expect(quoteInput('a\nb')).toBe('"a\\nb"');
  });

  it('cuts long input, saying how long it was', () => {
    const q = quoteInput('1 + '.repeat(50_000));
    expect(q).toBe(`"${'1 + '.repeat(25)}…" (200000 characters)`);
    expect(quoteInput('x'.repeat(101), 100)).toMatch(/…" \(101 characters\)$/);
    // A surrogate pair at the cut stays whole (or goes whole).
    expect(quoteInput(`${'x'.repeat(99)}😀😀`, 100)).toBe(`"${'x'.repeat(99)}…" (103 characters)`);
  });
});
