/**
 * FID of the same features in a fresh process, in the order the e2e test computes it (low-rank,
 * then against streamed statistics, then low-rank again, then the clean profile): prints the four
 * values, and the terms of any repeat that differs from the first. Run many times (fresh
 * processes, under load) to look for a nondeterministic result:
 *   for i in $(seq 300); do node packages/metrics/bench/fid-determinism.mjs; done | sort | uniq -c
 * Needs the package built (dist).
 */
import { fid } from '../dist/fid.js';
import { GaussianAccumulator } from '../dist/gaussian-stats.js';
import { readNpy } from '../dist/io/npy.js';

const golden = (name) => readNpy(new URL(`../../../fixtures/golden/e2e/${name}-features.npy`, import.meta.url).pathname);
const [p, c] = [golden('pytorch-fid'), golden('clean')];
const d = p.shape[1];
const rows = (g, from) => ({ rows: 6, cols: d, data: g.data.slice(from * d, (from + 6) * d) });
const [pa, pb] = [rows(p, 0), rows(p, 6)];
const first = await fid(pa, pb);
const stats = (await new GaussianAccumulator(d).add(pa)).result();
const fromStats = await fid({ mu: stats.mu, sigma: stats.sigma, n: 6 }, pb);
const repeat = await fid(pa, pb);
const clean = await fid(rows(c, 0), rows(c, 6));
const differs = repeat.fid !== first.fid ? ` REPEAT DIFFERS: ${JSON.stringify(repeat.terms)} vs ${JSON.stringify(first.terms)}` : '';
console.log(first.fid, fromStats.fid, repeat.fid, clean.fid + differs);
