/**
 * How `gen-eval train` shows progress on stderr: a redrawn bar (step, losses, ETA) on a TTY,
 * one plain line per evaluation otherwise (CI logs), nothing with --json. Names from the user's
 * files (data paths, warnings) are written as safe lines (terminalLine): the bar's own CR and
 * erase-line codes are the only control characters.
 */
import { terminalLine } from '@gen-eval/metrics/errors';
import type { TrainEvent } from '@gen-eval/models';

const fmtNum = (v: number | null | undefined) =>
  v === null || v === undefined ? '–' : Math.abs(v) >= 1000 || (Math.abs(v) < 0.001 && v !== 0) ? v.toExponential(2) : v.toFixed(3);

function eta(e: Extract<TrainEvent, { type: 'step' }>, startStep: number): string {
  const rate = (e.step - startStep) / Math.max(e.trainSeconds, 1e-9);
  let left: number | null = null;
  if (e.total !== null) left = (e.total - e.step) / rate;
  if (e.timeBudget !== null) left = Math.min(left ?? Infinity, e.timeBudget - e.trainSeconds);
  if (left === null || !Number.isFinite(left)) return '';
  const s = Math.max(0, Math.round(left));
  return ` ETA ${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Summarises an evaluation's metrics in one line. */
export function metricsLine(m: Record<string, number | null>): string {
  const parts: string[] = [];
  if (m.modes_covered !== undefined) parts.push(`modes ${m.modes_covered}`);
  if (m.high_quality !== undefined && m.high_quality !== null) parts.push(`hq ${(100 * m.high_quality).toFixed(1)}%`);
  for (const [k, v] of Object.entries(m)) {
    if (k === 'modes_covered' || k === 'high_quality') continue;
    parts.push(`${k} ${fmtNum(v)}`);
  }
  return terminalLine(parts.join(', '));
}

/** A TrainEvent sink that draws progress on `stream` (stderr). */
export function trainProgress(stream: NodeJS.WriteStream, quiet: boolean): (e: TrainEvent) => void {
  if (quiet) return () => {};
  const tty = stream.isTTY === true;
  let startStep = 0;
  let lastDraw = 0;
  let drawn = false;
  return (e) => {
    switch (e.type) {
      case 'start':
        startStep = e.fromStep;
        for (const w of e.warnings) stream.write(`gen-eval: warning: ${terminalLine(w)}\n`);
        stream.write(
          `${terminalLine(`${e.fromStep > 0 ? 'resuming' : 'training'} ${e.config.model} on ${e.config.data.name} (${e.config.backend.choice} backend, seed ${e.config.seed})${e.fromStep > 0 ? ` from step ${e.fromStep}` : ''}`)}\n`,
        );
        for (const n of e.notes ?? []) stream.write(`gen-eval: note: ${terminalLine(n)}\n`);
        return;
      case 'step': {
        if (!tty) return;
        const now = Date.now();
        if (now - lastDraw < 100) return;
        lastDraw = now;
        const total = e.total !== null ? `/${e.total}` : '';
        const pct = e.total !== null ? e.step / e.total : e.timeBudget !== null ? e.trainSeconds / e.timeBudget : 0;
        const width = 20;
        const filled = Math.round(Math.min(1, pct) * width);
        const losses = terminalLine(
          Object.entries(e.losses)
            .map(([k, v]) => `${k} ${fmtNum(v)}`)
            .join(' '),
        );
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] step ${e.step}${total} ${losses}${eta(e, startStep)}\x1b[K`);
        drawn = true;
        return;
      }
      case 'eval':
        stream.write(`${tty && drawn ? '\r\x1b[K' : ''}step ${e.step} (${e.trainSeconds.toFixed(1)} s): ${metricsLine(e.metrics)}\n`);
        return;
      case 'done':
        if (tty && drawn) stream.write('\r\x1b[K');
        return;
    }
  };
}
