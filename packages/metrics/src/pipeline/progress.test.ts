import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress, progressRenderer, type ProgressEvent } from './progress.js';

describe('createProgress', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes nothing to stdout or stderr unless the caller gives a listener or a stream', () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const p = createProgress({ label: 'features', total: 3 });
    p.update(1);
    p.update(3);
    p.finish();
    expect(err).not.toHaveBeenCalled();
    expect(out).not.toHaveBeenCalled();
  });

  it('sends start, update and end events to onProgress, and none when quiet', () => {
    const events: ProgressEvent[] = [];
    const p = createProgress({ label: 'features', total: 2, onProgress: (e) => events.push(e) });
    p.update(2);
    p.finish();
    expect(events.map((e) => [e.phase, e.done])).toEqual([
      ['start', 0],
      ['update', 2],
      ['end', 2],
    ]);
    const quiet: ProgressEvent[] = [];
    createProgress({ label: 'x', quiet: true, onProgress: (e) => quiet.push(e) }).finish();
    expect(quiet).toEqual([]);
  });

  it('draws a label naming a user file as one safe line (no forged workflow command, no raw ESC)', () => {
    let text = '';
    const stream = { isTTY: false, write: (c: string) => ((text += c), true) } as unknown as NodeJS.WriteStream;
    const p = createProgress({ label: 'features x.onnx\n::error::INJECTED\u001b[2J', total: 1, onProgress: progressRenderer(stream) });
    p.update(1);
    p.finish();
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^features x\.onnx\\n::error::INJECTED\\x1b\[2J 1\/1 \(100%, [^)]*\)( done)?$/);
  });
});
