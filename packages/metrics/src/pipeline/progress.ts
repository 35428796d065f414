/**
 * Progress on stderr: a redrawn bar on a TTY, plain periodic lines otherwise (CI logs), nothing
 * when quiet. Never writes to stdout, which belongs to `--json` output.
 */

export interface Progress {
  /** Sets the amount done (same unit as `total`). */
  update(done: number): void;
  /** Ends the bar / prints the final line. */
  finish(): void;
}

export interface ProgressOptions {
  label: string;
  total?: number;
  /** 'bytes' formats amounts as MiB. */
  unit?: 'items' | 'bytes';
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
  /** Minimum ms between plain (non-TTY) lines. */
  intervalMs?: number;
}

function fmt(v: number, unit: 'items' | 'bytes'): string {
  return unit === 'bytes' ? `${(v / 1048576).toFixed(1)} MiB` : String(v);
}

/** Creates a progress reporter for a TTY or a log. */
export function createProgress(opts: ProgressOptions): Progress {
  const stream = opts.stream ?? process.stderr;
  const unit = opts.unit ?? 'items';
  const total = opts.total;
  if (opts.quiet) return { update() {}, finish() {} };
  const start = Date.now();
  let last = 0;
  let done = 0;
  const line = () => {
    const secs = (Date.now() - start) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const rateText = unit === 'bytes' ? `${(rate / 1048576).toFixed(1)} MiB/s` : `${rate.toFixed(1)}/s`;
    if (total && total > 0) {
      const pct = Math.min(100, (100 * done) / total);
      return { pct, text: `${opts.label} ${fmt(done, unit)}/${fmt(total, unit)} (${pct.toFixed(0)}%, ${rateText})` };
    }
    return { pct: 0, text: `${opts.label} ${fmt(done, unit)} (${rateText})` };
  };
  if (stream.isTTY) {
    const width = 24;
    const draw = () => {
      const { pct, text } = line();
      const filled = Math.round((pct / 100) * width);
      stream.write(`\r${total ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : ''}${text}\x1b[K`);
    };
    return {
      update(d) {
        done = d;
        const now = Date.now();
        if (now - last >= 100) {
          last = now;
          draw();
        }
      },
      finish() {
        draw();
        stream.write('\n');
      },
    };
  }
  const interval = opts.intervalMs ?? 5000;
  return {
    update(d) {
      done = d;
      const now = Date.now();
      if (now - last >= interval) {
        last = now;
        stream.write(`${line().text}\n`);
      }
    },
    finish() {
      stream.write(`${line().text} done\n`);
    },
  };
}
