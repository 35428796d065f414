/** Test helper: the relative error the golden comparisons use. */
import { expect } from 'vitest';

/** Largest |a − b| relative to the largest |b| (the arrays must have the same length). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}
