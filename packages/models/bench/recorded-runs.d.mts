/** Types of recorded-runs.mjs (see there). */
export const RECORDING: string;
export interface RecordedCase {
  id: string;
  model: string;
  opts: Record<string, unknown>;
}
export type Fingerprint = Record<string, unknown>;
export function recordedCases(familyNames: readonly string[]): RecordedCase[];
export function fingerprint(dir: string): Fingerprint;
export function recordRuns(
  api: { trainNew: (opts: never) => Promise<unknown>; sampleRun: (dir: string, opts: never) => Promise<{ points: Float32Array }> },
  cases: readonly RecordedCase[],
): Promise<Record<string, Fingerprint>>;
export function differences(expected: Record<string, Fingerprint>, actual: Record<string, Fingerprint>): string[];
