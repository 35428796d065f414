import { describe, expect, it } from 'vitest';
import type { RunConfig, TrainEvent } from '@gen-eval/models';
import { trainProgress } from './train-progress.js';

/** A stand-in for process.stderr that records what is written. */
function stream(isTTY: boolean): NodeJS.WriteStream & { text: string } {
  const s = {
    isTTY,
    text: '',
    write(chunk: string) {
      s.text += chunk;
      return true;
    },
  };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

const config = { model: 'ns-gan', data: { name: 'ring-easy' }, seed: 0, backend: { choice: 'wasm' } } as unknown as RunConfig;
const events = (): TrainEvent[] => [
  { type: 'start', config, fromStep: 0, warnings: [], notes: ['digits/: 3 of 9 images are not 28×28 (32×32); resized'] },
  { type: 'step', step: 1, total: 10, timeBudget: null, trainSeconds: 0.1, losses: { d_loss: 1.2, g_loss: 0.7 } },
  { type: 'eval', step: 5, trainSeconds: 0.5, metrics: { modes_covered: 8, high_quality: 0.5, mmd: 0.001 } },
  { type: 'done', summary: {} as never },
];

describe('train progress', () => {
  it('draws a bar with step, losses and ETA on a terminal', () => {
    const s = stream(true);
    const sink = trainProgress(s, false);
    for (const e of events()) sink(e);
    expect(s.text).toMatch(/\r\[#+\.+\] step 1\/10 d_loss 1\.200 g_loss 0\.700 ETA 0:01/);
    expect(s.text).toContain('step 5 (0.5 s): modes 8, hq 50.0%, mmd 0.001\n');
  });

  it('writes plain lines only (one per evaluation) to a log', () => {
    const s = stream(false);
    const sink = trainProgress(s, false);
    for (const e of events()) sink(e);
    expect(s.text).toBe(
      'training ns-gan on ring-easy (wasm backend, seed 0)\ngen-eval: note: digits/: 3 of 9 images are not 28×28 (32×32); resized\nstep 5 (0.5 s): modes 8, hq 50.0%, mmd 0.001\n',
    );
  });

  it('writes names from the user (a data path, a warning) as safe lines: no forged workflow command, no raw ESC', () => {
    const s = stream(false);
    const sink = trainProgress(s, false);
    const hostile = { ...config, data: { name: 'x.npy\n::error::INJECTED\u001b[2J' } } as unknown as RunConfig;
    sink({ type: 'start', config: hostile, fromStep: 0, warnings: ['w\r##[warning]forged'], notes: ['\u202etxt.npy'] });
    sink({ type: 'eval', step: 5, trainSeconds: 0.5, metrics: { 'fid\n::error::x': 1 } });
    expect(s.text).toBe(
      [
        'gen-eval: warning: w\\r##\\x5bwarning]forged',
        'training ns-gan on x.npy\\n::error::INJECTED\\x1b[2J (wasm backend, seed 0)',
        'gen-eval: note: \\u202etxt.npy',
        'step 5 (0.5 s): fid\\n::error::x 1.000',
        '',
      ].join('\n'),
    );
  });

  it('is silent when quiet (--json)', () => {
    const s = stream(true);
    const sink = trainProgress(s, true);
    for (const e of events()) sink(e);
    expect(s.text).toBe('');
  });
});
