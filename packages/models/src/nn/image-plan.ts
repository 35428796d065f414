import { usageError } from '@gen-eval/metrics/errors';

/**
 * The image sizes the conv networks take (28, 32, 64 px) and, for each, the side of the smallest
 * feature map and the number of stride-2 levels between (28 → 14 → 7: base 7, 2 levels).
 */
export function imagePlan(size: number): { base: number; levels: number } {
  if (size === 28) return { base: 7, levels: 2 };
  if (size === 32) return { base: 4, levels: 3 };
  if (size === 64) return { base: 4, levels: 4 };
  throw usageError(`image size must be 28, 32 or 64, got ${size}`);
}
