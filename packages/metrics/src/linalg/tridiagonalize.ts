/**
 * Householder reduction of a symmetric matrix to tridiagonal form, Qᵀ·A·Q = T, blocked as in
 * LAPACK's DSYTRD/DLATRD (lower variant). Eigenvalues only, so Q is never formed.
 *
 * Per panel of `block` columns, each column needs one product of the not-yet-updated trailing
 * matrix with the new Householder vector, corrected by the panel's earlier vectors (thin dot and
 * axpy kernels, WebAssembly SIMD or JS);
 * after the panel the trailing matrix gets one rank-2·block update A − V·Wᵀ − W·Vᵀ, a GEMM
 * (onnxruntime). The matrix–vector products are memory-bound and dominate: they run in a
 * WebAssembly SIMD kernel that reads only the lower triangle (half the traffic of a full
 * product), and only the lower triangle is then kept up to date. Without WebAssembly they fall
 * back to full products (onnxruntime for large sizes, else JS) on the full matrix.
 */
import { gemmABt } from './gemm.js';
import { onnxProduct, preferOnnx } from './onnx-backend.js';
import { kernelWorkspace, type KernelWorkspace } from './wasm-kernels.js';
import { internalError } from '../errors.js';

/** A symmetric tridiagonal matrix: diagonal `d` (n) and sub-diagonal `e` (n − 1). */
export interface Tridiagonal {
  readonly d: Float64Array;
  readonly e: Float64Array;
}

export interface TridiagonalizeOptions {
  /** Columns per panel (default 64: wider panels make the onnxruntime updates more efficient). */
  block?: number;
  /** Trailing matrices of at most this order are reduced in one JS panel (default 128). */
  directBelow?: number;
  /** Matrix–vector products with at least this many rows go to onnxruntime (default 256). */
  onnxGemvRows?: number;
  /**
   * A helper thread for half of each large symmetric matrix–vector product (WebAssembly path,
   * more than one configured thread): 'auto' (default, n ≥ 768) times both ways on the first
   * products and keeps the faster; 'force' always splits; 'off' never.
   */
  symvHelper?: 'auto' | 'force' | 'off';
  /** Reduce scale·A instead of A (the copy into the working heap does the scaling). */
  scale?: number;
  /** When given, milliseconds spent in each phase are added to it (for the benchmark). */
  profile?: TridiagonalizeProfile;
}

/** Time per phase of {@link tridiagonalize}, in milliseconds. */
export interface TridiagonalizeProfile {
  /** Matrix–vector products with the trailing matrix. */
  gemv: number;
  /** Everything else in the panels (column updates, Householder vectors, corrections). */
  panel: number;
  /** Rank-2·block updates of the trailing matrix. */
  update: number;
  /** How the symmetric products ran in the end: 'single', 'split' (with the helper thread), 'probing'. */
  symvMode?: string;
}

/**
 * Tridiagonal form of the symmetric n×n matrix `a` (row-major; both triangles are read and must
 * agree). `a` is not modified. Orthogonal similarity, so the eigenvalues are those of `a`.
 */
export async function tridiagonalize(a: Float64Array, n: number, opts: TridiagonalizeOptions = {}): Promise<Tridiagonal> {
  if (a.length < n * n) throw internalError(`tridiagonalize: ${a.length} values do not make ${n}×${n}`);
  const nb = Math.max(1, opts.block ?? 64);
  const directBelow = Math.max(2, opts.directBelow ?? 128);
  const d = new Float64Array(n);
  const e = new Float64Array(Math.max(0, n - 1));
  if (n === 0) return { d, e };
  // Everything the kernels touch lives in one heap (WebAssembly memory when available): the
  // working copy (compacted in place after every panel), v, y, the current column, the panel's
  // vectors and a 2-value scratch.
  const maxB = Math.min(Math.max(nb, directBelow), n);
  const at = { v: n * n, y: n * n + n, col: n * n + 2 * n, Vt: n * n + 3 * n, Wt: n * n + 3 * n + maxB * n, scratch: n * n + 3 * n + 2 * maxB * n };
  const helper = opts.symvHelper ?? 'auto';
  const k = kernelWorkspace(at.scratch + 2, { helperUpTo: helper === 'off' || (helper === 'auto' && n < 768) ? 0 : n, forceSplit: helper === 'force' });
  try {
    const A = k.heap.subarray(0, n * n);
    const scale = opts.scale ?? 1;
    if (scale === 1) A.set(a.subarray(0, n * n));
    else for (let i = 0; i < n * n; i++) A[i] = a[i]! * scale;
    const ws: Workspace = {
      gemvRows: opts.onnxGemvRows ?? 256,
      profile: opts.profile ?? { gemv: 0, panel: 0, update: 0 },
      k,
      at,
      Vt: k.heap.subarray(at.Vt, at.Vt + maxB * n),
      Wt: k.heap.subarray(at.Wt, at.Wt + maxB * n),
    };
    let P: Float64Array | undefined;
    let m = n;
    let g = 0; // global index of the trailing matrix's first row
    while (m > 1) {
      const b = m <= directBelow ? m - 1 : Math.min(nb, m - 1);
      const t0 = performance.now();
      await reducePanel(A, m, b, d, e, g, ws);
      const t1 = performance.now();
      P ??= new Float64Array((m - b) * (m - b));
      await updateTrailing(A, m, b, ws, P);
      ws.profile.panel += t1 - t0;
      ws.profile.update += performance.now() - t1;
      g += b;
      m -= b;
    }
    d[g] = A[0]!;
    ws.profile.symvMode = k.symvMode;
    return { d, e };
  } finally {
    k.close();
  }
}

interface Workspace {
  gemvRows: number;
  profile: TridiagonalizeProfile;
  /** With k.symvLower, products read only the lower triangle, which is all that is kept up to date. */
  k: KernelWorkspace;
  /** Heap positions: v (Householder vector), y (product), col (current column), Vt, Wt, scratch. */
  at: { v: number; y: number; col: number; Vt: number; Wt: number; scratch: number };
  /** The panel's Householder vectors, one per row (length m, zero up to and including their column). */
  Vt: Float64Array;
  /** The matching w vectors, laid out like Vt. */
  Wt: Float64Array;
}

/**
 * Reduces the first b columns of the m×m matrix A (DLATRD). Writes d[g..g+b) and e[g..g+b) and
 * leaves the panel's vectors in ws.Vt / ws.Wt for the update. A's trailing rows are left as they
 * were: the products need the un-updated matrix.
 */
async function reducePanel(A: Float64Array, m: number, b: number, d: Float64Array, e: Float64Array, g: number, ws: Workspace): Promise<void> {
  const { Vt, Wt, k: K, at } = ws;
  const { heap } = K;
  const v = heap.subarray(at.v, at.v + m);
  const y = heap.subarray(at.y, at.y + m);
  const col = heap.subarray(at.col, at.col + m);
  Vt.fill(0, 0, b * m);
  Wt.fill(0, 0, b * m);
  for (let c = 0; c < b; c++) {
    // 1. Column c (lower part, rows c..m) brought up to date with the panel's earlier reflectors.
    for (let i = c; i < m; i++) col[i] = A[i * m + c]!;
    for (let k = 0; k < c; k++) {
      const vk = k * m;
      K.axpy2(at.col + c, at.Vt + vk + c, at.Wt + vk + c, Wt[vk + c]!, Vt[vk + c]!, m - c);
    }
    d[g + c] = col[c]!;
    // 2. Householder vector zeroing col[c+2..]: H = I − τ·v·vᵀ, H·x = β·e₁.
    const { tau, beta } = householder(col, c + 1, m, v);
    e[g + c] = beta;
    Vt.set(v, c * m);
    if (tau === 0) continue; // w stays 0: the reflector is the identity
    // 3. y = A22·v with the un-updated trailing matrix (rows and columns c+1..m).
    const rows = m - c - 1;
    const t0 = performance.now();
    await trailingProduct(A, m, c + 1, v, y, ws);
    const dt = performance.now() - t0;
    ws.profile.gemv += dt;
    ws.profile.panel -= dt;
    // 4. Corrections for the panel's earlier columns: y −= V·(Wᵀv) + W·(Vᵀv), one vector pair at a time.
    for (let k = 0; k < c; k++) {
      const vk = k * m + c + 1;
      K.dot2(at.Wt + vk, at.Vt + vk, at.v + c + 1, rows, at.scratch);
      K.axpy2(at.y + c + 1, at.Vt + vk, at.Wt + vk, heap[at.scratch]!, heap[at.scratch + 1]!, rows);
    }
    // 5. w = τ·y − ½τ²(yᵀv)·v, so that A22 − v·wᵀ − w·vᵀ = H·A22·H.
    let yv = 0;
    for (let i = c + 1; i < m; i++) yv += y[i]! * v[i]!;
    const alpha = -0.5 * tau * tau * yv;
    const wc = c * m;
    for (let i = c + 1; i < m; i++) Wt[wc + i] = tau * y[i]! + alpha * v[i]!;
  }
}

/**
 * Householder vector for x = col[at .. m): fills v (v[at] = 1, zero before `at`) and returns τ
 * and β (τ = 0 when x is already a multiple of e₁, and then β = x₀).
 */
function householder(col: Float64Array, at: number, m: number, v: Float64Array): { tau: number; beta: number } {
  const alpha = col[at]!;
  let sigma = 0;
  for (let i = at + 1; i < m; i++) sigma += col[i]! * col[i]!;
  v.fill(0, 0, m);
  v[at] = 1;
  if (sigma === 0) return { tau: 0, beta: alpha };
  const norm = Math.sqrt(alpha * alpha + sigma);
  // β takes the sign opposite to α so that α − β never cancels.
  const beta = alpha > 0 ? -norm : norm;
  const scale = 1 / (alpha - beta);
  for (let i = at + 1; i < m; i++) v[i] = col[i]! * scale;
  return { tau: (beta - alpha) / beta, beta };
}

/** y[r0..m) = A[r0.., r0..]·v[r0..m): WebAssembly on the lower triangle, else a full product. */
async function trailingProduct(A: Float64Array, m: number, r0: number, v: Float64Array, y: Float64Array, ws: Workspace): Promise<void> {
  const rows = m - r0;
  const ys = y.subarray(r0, m);
  if (ws.k.symvLower !== null) {
    ws.k.symvLower(r0 * m + r0, m, rows, ws.at.v + r0, ws.at.y + r0);
    return;
  }
  if (rows >= ws.gemvRows && preferOnnx(rows * rows)) {
    // Full rows r0..m against v, which is zero before r0.
    const done = await onnxProduct('ab', { data: A.subarray(r0 * m), rows, cols: m }, { data: v, rows: m, cols: 1 }, ys);
    if (done !== null) return;
  }
  for (let i = r0; i < m; i++) {
    const ri = i * m;
    let s0 = 0;
    let s1 = 0;
    let j = r0;
    for (; j + 1 < m; j += 2) {
      s0 += A[ri + j]! * v[j]!;
      s1 += A[ri + j + 1]! * v[j + 1]!;
    }
    if (j < m) s0 += A[ri + j]! * v[j]!;
    ys[i - r0] = s0 + s1;
  }
}

/**
 * Replaces A by its trailing (m−b)×(m−b) block after the panel, A22 − V₂·W₂ᵀ − W₂·V₂ᵀ, written
 * compactly at the start of A (forward order never overwrites an entry still to be read).
 * The update is X·Yᵀ with X = [V₂ W₂], Y = [W₂ V₂] (rows × 2b). With the WebAssembly kernel only
 * the lower triangle is needed, so only the row-block × row-block products on or below the
 * diagonal are formed (~half the multiply-adds); otherwise the full product.
 */
async function updateTrailing(A: Float64Array, m: number, b: number, ws: Workspace, P: Float64Array): Promise<void> {
  const mt = m - b;
  const k2 = 2 * b;
  // X and Y row-major (mt × 2b), so that a block of rows is a contiguous subarray.
  const X = new Float64Array(mt * k2);
  const Y = new Float64Array(mt * k2);
  for (let k = 0; k < b; k++) {
    const src = k * m + b;
    for (let i = 0; i < mt; i++) {
      const vi = ws.Vt[src + i]!;
      const wi = ws.Wt[src + i]!;
      X[i * k2 + k] = vi;
      X[i * k2 + b + k] = wi;
      Y[i * k2 + k] = wi;
      Y[i * k2 + b + k] = vi;
    }
  }
  const lowerOnly = ws.k.symvLower !== null;
  const blocks = lowerOnly ? rowBlocks(mt) : [[0, mt] as const];
  for (let bi = 0; bi < blocks.length; bi++) {
    const [i0, i1] = blocks[bi]!;
    // Columns 0 .. (end of this row block) when only the lower triangle is needed.
    const cols = lowerOnly ? i1 : mt;
    const rows = i1 - i0;
    const prod = await gemmABt({ data: X.subarray(i0 * k2, i1 * k2), rows, cols: k2 }, { data: Y, rows: cols, cols: k2 }, P);
    for (let i = 0; i < rows; i++) {
      const r = i0 + i;
      const src = (b + r) * m + b;
      const dst = r * mt;
      const end = lowerOnly ? r + 1 : mt;
      const pr = i * cols;
      for (let j = 0; j < end; j++) A[dst + j] = A[src + j]! - prod[pr + j]!;
    }
  }
}

/** Row blocks of ~256 rows: block i's product then spans columns 0..end of block i (a staircase). */
function rowBlocks(n: number): (readonly [number, number])[] {
  const k = Math.max(1, Math.round(n / 256));
  return Array.from({ length: k }, (_, i) => [Math.floor((i * n) / k), Math.floor(((i + 1) * n) / k)] as const);
}
