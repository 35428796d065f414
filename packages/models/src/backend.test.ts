import { describe, expect, it } from 'vitest';
import { BACKEND_ORDER, selectBackend } from './backend.js';

describe('selectBackend', () => {
  it('falls through the order to a backend that runs, and explains what it skipped', async () => {
    const sel = await selectBackend();
    expect(BACKEND_ORDER).toContain(sel.choice);
    // Every choice before the winner is listed with a reason.
    expect(sel.skipped.map((s) => s.choice)).toEqual(BACKEND_ORDER.slice(0, BACKEND_ORDER.indexOf(sel.choice)));
    const y = sel.tf.tidy(() =>
      sel.tf.matMul(
        sel.tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        sel.tf.tensor2d([[5], [6]]),
      ),
    );
    expect(Array.from(await y.data())).toEqual([17, 39]);
    y.dispose();
  });

  it('honours an explicit order (cpu only)', async () => {
    const sel = await selectBackend(['cpu']);
    expect(sel.choice).toBe('cpu');
    expect(sel.tf.getBackend()).toBe('cpu');
  });
});
