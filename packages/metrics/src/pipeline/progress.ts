/**
 * Progress: events to a listener (library callers), or drawn on stderr — a redrawn bar on a TTY,
 * plain periodic lines otherwise (CI logs) — nothing when quiet. Never writes to stdout, which
 * belongs to `--json` output.
 */
import { terminalLine } from '../untrusted-text.js';

export interface Progress {
  /** Sets the amount done (same unit as `total`). */
  update(done: number): void;
  /** Ends the bar / prints the final line. */
  finish(): void;
}

/**
 * One progress report: a task (`label`) starts, advances to `done` of `total`, ends. Library code
 * hands these to a {@link ProgressListener}; {@link progressRenderer} draws them (the CLI's output).
 */
export interface ProgressEvent {
  readonly phase: 'start' | 'update' | 'end';
  readonly label: string;
  readonly done: number;
  readonly total?: number;
  /** 'bytes': `done` and `total` are bytes (downloads, hashing); 'items': images. */
  readonly unit: 'items' | 'bytes';
}

/** Receives {@link ProgressEvent}s; it must not throw (an exception would stop the work). */
export type ProgressListener = (event: ProgressEvent) => void;

export interface ProgressOptions {
  label: string;
  total?: number;
  /** 'bytes' formats amounts as MiB. */
  unit?: 'items' | 'bytes';
  quiet?: boolean;
  /** Where events go; without one they are drawn on `stream` by {@link progressRenderer}, or dropped. */
  onProgress?: ProgressListener;
  /** A stream to draw on when there is no `onProgress` (library code never picks one itself). */
  stream?: NodeJS.WriteStream;
  /** Minimum ms between plain (non-TTY) lines. */
  intervalMs?: number;
}

function fmt(v: number, unit: 'items' | 'bytes'): string {
  return unit === 'bytes' ? `${(v / 1048576).toFixed(1)} MiB` : String(v);
}

/**
 * Creates a progress reporter: events to `onProgress`, else drawn on `stream`; nothing when quiet
 * or given neither (library code does not write to stdout/stderr: the CLI passes a renderer).
 */
export function createProgress(opts: ProgressOptions): Progress {
  const emit = opts.onProgress ?? (opts.stream ? progressRenderer(opts.stream, opts.intervalMs) : undefined);
  if (opts.quiet || emit === undefined) return { update() {}, finish() {} };
  const base = { label: opts.label, unit: opts.unit ?? 'items', ...(opts.total !== undefined ? { total: opts.total } : {}) } as const;
  let done = 0;
  emit({ ...base, phase: 'start', done });
  return {
    update(d) {
      done = d;
      emit({ ...base, phase: 'update', done });
    },
    finish() {
      emit({ ...base, phase: 'end', done });
    },
  };
}

/**
 * Draws progress events on `stream`: a redrawn bar on a TTY (at most every 100 ms), plain lines
 * otherwise (at most every `intervalMs`, default 5 s, and a final "… done"). One state per task,
 * from its `start` event.
 */
export function progressRenderer(stream: NodeJS.WriteStream, intervalMs = 5000): ProgressListener {
  const tasks = new Map<string, { readonly start: number; last: number }>();
  return (e) => {
    if (e.phase === 'start') {
      tasks.set(e.label, { start: Date.now(), last: 0 });
      return;
    }
    const t = tasks.get(e.label) ?? { start: Date.now(), last: 0 };
    tasks.set(e.label, t);
    const { unit, total, done } = e;
    const line = () => {
      const secs = (Date.now() - t.start) / 1000;
      const rate = secs > 0 ? done / secs : 0;
      const rateText = unit === 'bytes' ? `${(rate / 1048576).toFixed(1)} MiB/s` : `${rate.toFixed(1)}/s`;
      if (total && total > 0) {
        const pct = Math.min(100, (100 * done) / total);
        return { pct, text: terminalLine(`${e.label} ${fmt(done, unit)}/${fmt(total, unit)} (${pct.toFixed(0)}%, ${rateText})`) };
      }
      // A label may name a user's file or model: a safe line (see terminalLine).
      return { pct: 0, text: terminalLine(`${e.label} ${fmt(done, unit)} (${rateText})`) };
    };
    if (stream.isTTY) {
      const width = 24;
      const draw = () => {
        const { pct, text } = line();
        const filled = Math.round((pct / 100) * width);
        stream.write(`\r${total ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : ''}${text}\x1b[K`);
      };
      if (e.phase === 'end') {
        draw();
        stream.write('\n');
        tasks.delete(e.label);
        return;
      }
      const now = Date.now();
      if (now - t.last >= 100) {
        t.last = now;
        draw();
      }
      return;
    }
    if (e.phase === 'end') {
      stream.write(`${line().text} done\n`);
      tasks.delete(e.label);
      return;
    }
    const now = Date.now();
    if (now - t.last >= intervalMs) {
      t.last = now;
      stream.write(`${line().text}\n`);
    }
  };
}
