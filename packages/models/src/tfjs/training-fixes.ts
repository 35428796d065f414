/**
 * Gradient re-registrations that make TensorFlow.js 4.22 train fast on the wasm backend and give
 * correct second-order gradients (the WGAN-GP penalty differentiates a gradient) on every backend.
 *
 * tfjs keeps ONE global gradient registry (kernel name → GradConfig) shared by all backends, and a
 * later `registerGradient` simply overwrites the earlier entry (tfjs-core kernel_registry.ts:
 * `gradRegistry.set(kernelName, config)`, a warning only under the DEBUG flag). So installing the
 * fixes once, after the backend is chosen, affects every tape recorded afterwards, on any backend.
 *
 * What is fixed and why (each fix checked against tfjs's stock gradients or float64 finite
 * differences in training-fixes.test.ts and conv-grad.test.ts; speeds by bench/step-compare.mjs):
 * - BatchMatMul: the stock gradient computes dy·Bᵀ and Aᵀ·dy with the `transposeA`/`transposeB`
 *   flags; on wasm those flags leave XNNPACK for a generic loop that is 10–25× slower. Explicit
 *   `transpose` + plain matMul stays on XNNPACK (a 2-D transpose is a cheap memory pass).
 *   `_FusedMatMul` cannot be fixed here: `tf.fused.matMul` attaches its gradient with
 *   `customGrad`, which never consults the registry (and uses the slow flags itself), so training
 *   code must write dense layers as `tf.add(tf.matMul(x, W), b)` + activation, not
 *   `tf.fused.matMul` (a fused custom-gradient layer was measured: no faster than the plain ops
 *   with these fixes, see bench/step-compare.mjs).
 * - Add, Sub: tfjs's gradients, except that the bias reduction (a leading block of broadcast
 *   axes) is a `Sum` over axis 0 of a matrix view, the case the wasm kernel override makes fast.
 * - Tanh, Sigmoid, Exp, Elu: the stock gradients reuse the op's own OUTPUT (`outputsToSave`).
 *   The engine saves a detached clone of that output, so when the gradient is itself
 *   differentiated, the path through y = f(x) inside f'(x) is lost and the second-order result is
 *   silently wrong (4–65 % off). Saving the INPUT and recomputing the output inside the gradient
 *   keeps that path on the tape. The extra forward op costs one elementwise pass per backward.
 * - Greater, GreaterEqual, Less, LessEqual, Equal, NotEqual: the gradients of leakyRelu, selu and
 *   the recomputed elu use a comparison mask; differentiating them again reaches the comparison,
 *   which has no gradient in tfjs and throws. A comparison is piecewise constant: its gradient is 0.
 * - Conv2D, Conv2DBackpropInput: wasm has no `Conv2DBackpropFilter` kernel (conv training throws)
 *   and its `Conv2DBackpropInput` is ~8× slower than `Conv2D`; the gradients are rebuilt from the
 *   forward conv kernel alone (conv-grad.ts: the filter gradient as one dilated conv, the input
 *   gradient as a polyphase transposed conv). They are closed under differentiation, so the
 *   WGAN-GP penalty through a conv critic works too. Dilated or NCHW convs keep tfjs's gradient.
 * - wasm kernels (see installWasmKernels): `Identity` and same-dtype `Cast` share the buffer
 *   instead of copying it, and `Sum` over axis 0 of a matrix is a JS column sum on the heap.
 */
import type * as tfNs from '@tensorflow/tfjs';
import { internalError } from '@gen-eval/metrics/errors';
import { conv2dFilterGrad, handledByConvGrad, resolveConv, transposedConv2d, type ConvAttrs } from './conv-grad.js';

type TF = typeof tfNs;
type Tensor = tfNs.Tensor;

/**
 * The gradient configs registered here. Whether the fixes are in is read from tfjs's registry
 * itself (is each kernel's current gradient one of these?), not from a flag: the registry is
 * global, so whoever installed them, and whichever namespace object did, the answer is true.
 */
const ours = new WeakSet<tfNs.GradConfig>();
/** Every kernel whose gradient is re-registered here. */
const FIXED_KERNELS = [
  'Add',
  'Sub',
  'BatchMatMul',
  'Tanh',
  'Sigmoid',
  'Exp',
  'Elu',
  'Greater',
  'GreaterEqual',
  'Less',
  'LessEqual',
  'Equal',
  'NotEqual',
  'Conv2D',
  'Conv2DBackpropInput',
];
/** tfjs's own gradient of a kernel, as first seen (dilated and NCHW convs fall back to it). */
const stockGradients = new Map<string, tfNs.GradConfig | undefined>();
/** Which tfjs namespaces have the wasm kernel overrides (only possible once tfjs-backend-wasm has been imported). */
const installedWasm = new WeakSet<object>();

/** Registers one of the fixes' gradients. */
function register(tf: TF, config: tfNs.GradConfig): void {
  ours.add(config);
  tf.registerGradient(config);
}

/** tfjs's own gradient of `kernelName`, remembered before a fix replaces it. */
function stockGradient(tf: TF, kernelName: string): tfNs.GradConfig | undefined {
  if (!stockGradients.has(kernelName)) {
    const current = tf.getGradient(kernelName);
    stockGradients.set(kernelName, current && !ours.has(current) ? current : undefined);
  }
  return stockGradients.get(kernelName);
}

/** Whether tfjs's gradient registry holds every gradient fix (see installTrainingFixes). */
export function trainingFixesInstalled(tf: TF): boolean {
  return FIXED_KERNELS.every((k) => {
    const config = tf.getGradient(k);
    return config !== undefined && ours.has(config);
  });
}

/**
 * Throws unless the gradient fixes are installed: `what` (a conv layer, the gradient penalty)
 * would otherwise train with tfjs's stock gradients — missing on wasm (conv filters) or silently
 * wrong at second order (tanh, sigmoid, exp, elu).
 */
export function requireTrainingFixes(tf: TF, what: string): void {
  if (!trainingFixesInstalled(tf)) {
    throw internalError(
      `${what} needs the TensorFlow.js training fixes: call installTrainingFixes(tf) (tfjs/training-fixes.ts) once the backend is chosen, as train/loop.ts activateBackend does, before building the model`,
    );
  }
}

/** Dense 2-D (or batched) transpose of the last two axes, so matMul can run without flags. */
function transposeLast2(tf: TF, x: Tensor): Tensor {
  if (x.rank === 2) return tf.transpose(x);
  const perm = x.shape.map((_, i) => i);
  const r = x.rank;
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return tf.transpose(x, perm);
}

/**
 * Sums a gradient back down to `shape` when the forward op broadcast its input. When the summed
 * axes are a leading block (a bias [k] broadcast over [n, k], a conv bias over [n, h, w, c], or
 * everything), the gradient is viewed as a matrix [m, rest] and summed over axis 0, the case the
 * wasm `Sum` override below makes fast. Other patterns use `tf.sum` over the axes as tfjs does.
 */
function unbroadcast(tf: TF, g: Tensor, shape: readonly number[]): Tensor {
  if (g.shape.length === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    const d = i < lead ? 1 : shape[i - lead]!;
    if (i < lead || (d === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  if (axes.length === 0) return tf.reshape(g, [...shape]);
  const prefix = axes.every((a, i) => a === i);
  if (prefix && g.dtype === 'float32') {
    const m = g.shape.slice(0, axes.length).reduce((p, q) => p * q, 1);
    const rest = g.size / m;
    return tf.reshape(tf.sum(tf.reshape(g, [m, rest]), 0), [...shape]);
  }
  return tf.reshape(tf.sum(g, axes), [...shape]);
}

/** The slice of tfjs-backend-wasm's BackendWasm that the kernel overrides below use. */
interface WasmBackendLike {
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: tfNs.DataType): tfNs.TensorInfo;
  typedArrayFromHeap(t: tfNs.TensorInfo): Float32Array | Int32Array | Uint8Array;
}
interface KernelArgs {
  inputs: tfNs.NamedTensorInfoMap;
  backend: WasmBackendLike;
  attrs: Record<string, unknown>;
}

/** Replaces a wasm kernel by `f`, which may hand a call back to the stock kernel. */
function overrideWasmKernel(tf: TF, kernelName: string, f: (args: KernelArgs, stock: (args: KernelArgs) => tfNs.TensorInfo) => tfNs.TensorInfo): void {
  const stockConfig = tf.getKernel(kernelName, 'wasm');
  if (!stockConfig) return;
  const stock = stockConfig.kernelFunc as unknown as (args: KernelArgs) => tfNs.TensorInfo;
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({ ...stockConfig, kernelFunc: ((args: KernelArgs) => f(args, stock)) as unknown as tfNs.KernelFunc });
}

/** Shares x's buffer (tfjs tensors are immutable; wasm's own Reshape does the same). */
function share(args: KernelArgs): tfNs.TensorInfo {
  const x = args.inputs['x']!;
  args.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * Kernel-level fixes for the wasm backend (no effect elsewhere):
 * - `Identity` copies the buffer; the engine runs it for every tensor a gradient saves (and for
 *   tf.clone). Sharing by reference count is what the cpu backend does.
 * - `Cast` to the dtype a tensor already has copies too (tfjs's relu gradient casts step(x) to
 *   float32 every time); share instead.
 * - `Sum` over axis 0 of a matrix — every bias gradient — transposes the whole matrix first and
 *   then reduces rows (~3× slower than this column sum in JS on the wasm heap, and faster than
 *   a ones·dy GEMV, whose fresh right operand XNNPACK must repack on every call).
 */
function installWasmKernels(tf: TF): void {
  if (installedWasm.has(tf) || !tf.getKernel('Identity', 'wasm')) return;
  installedWasm.add(tf);
  overrideWasmKernel(tf, 'Identity', (args, stock) => (args.inputs['x']!.dtype === 'string' ? stock(args) : share(args)));
  overrideWasmKernel(tf, 'Cast', (args, stock) => (args.inputs['x']!.dtype === args.attrs['dtype'] && args.attrs['dtype'] !== 'string' ? share(args) : stock(args)));
  overrideWasmKernel(tf, 'Sum', (args, stock) => {
    const x = args.inputs['x']!;
    const axis = args.attrs['axis'] as number | number[];
    const axes = (Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + x.shape.length : a));
    if (x.shape.length !== 2 || x.dtype !== 'float32' || axes.length !== 1 || axes[0] !== 0) return stock(args);
    const [rows, cols] = x.shape as [number, number];
    const src = args.backend.typedArrayFromHeap(x);
    const acc = new Float64Array(cols); // float64 accumulation: at least as accurate as the stock sum
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      for (let c = 0; c < cols; c++) acc[c]! += src[base + c]!;
    }
    const out = args.backend.makeOutput(args.attrs['keepDims'] ? [1, cols] : [cols], 'float32');
    // makeOutput may grow the wasm memory, which detaches earlier heap views: read the view after it.
    args.backend.typedArrayFromHeap(out).set(acc);
    return out;
  });
}

/**
 * Installs the gradient fixes into tfjs's global gradient registry, and the wasm kernel overrides
 * when the wasm backend is loaded. Idempotent: calling it again does nothing new while the
 * registry holds the fixes. Call it once after `selectBackend`, whatever backend won (train/loop.ts
 * activateBackend does); conv layers and the gradient penalty refuse to run without it.
 * @param tf the tfjs namespace whose registry (shared by all backends) is patched.
 */
export function installTrainingFixes(tf: TF): void {
  // The wasm overrides go in as soon as the wasm backend's kernels exist, even on a later call.
  installWasmKernels(tf);
  if (trainingFixesInstalled(tf)) return;
  for (const k of FIXED_KERNELS) stockGradient(tf, k);

  // Add/Sub: the same gradients as tfjs's, with the bias reduction as a matrix column sum (unbroadcast).
  for (const kernelName of ['Add', 'Sub']) {
    const sign = kernelName === 'Sub' ? -1 : 1;
    register(tf, {
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (dy, saved) => {
        const [a, b] = saved as [Tensor, Tensor];
        const g = dy as Tensor;
        return {
          a: () => unbroadcast(tf, g, a.shape),
          b: () => (sign > 0 ? unbroadcast(tf, g, b.shape) : tf.neg(unbroadcast(tf, g, b.shape))),
        };
      },
    });
  }

  register(tf, {
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as [Tensor, Tensor];
      const g = dy as Tensor;
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      const T = (x: Tensor): Tensor => transposeLast2(tf, x);
      const mm = (x: Tensor, y: Tensor): Tensor => tf.matMul(x, y);
      // C = op(A)·op(B); dop(A) = dy·op(B)ᵀ, dop(B) = op(A)ᵀ·dy, then undo op on each side.
      // Batch dimensions may broadcast (rank ≥ 3), hence the unbroadcast of each result.
      let da: () => Tensor;
      let db: () => Tensor;
      if (!transposeA && !transposeB) {
        da = () => mm(g, T(b));
        db = () => mm(T(a), g);
      } else if (!transposeA && transposeB) {
        da = () => mm(g, b);
        db = () => mm(T(g), a);
      } else if (transposeA && !transposeB) {
        da = () => mm(b, T(g));
        db = () => mm(a, g);
      } else {
        da = () => T(mm(g, b));
        db = () => T(mm(a, g));
      }
      return {
        a: () => unbroadcast(tf, da(), a.shape),
        b: () => unbroadcast(tf, db(), b.shape),
      };
    },
  });

  // Output-reusing gradients → input-saving ones (see the file comment).
  register(tf, {
    kernelName: 'Tanh',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved as [Tensor];
      return { x: () => tf.mul(dy as Tensor, tf.sub(1, tf.square(tf.tanh(x)))) };
    },
  });
  register(tf, {
    kernelName: 'Sigmoid',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved as [Tensor];
      return {
        x: () => {
          const s = tf.sigmoid(x);
          return tf.mul(dy as Tensor, tf.mul(s, tf.sub(1, s)));
        },
      };
    },
  });
  register(tf, {
    kernelName: 'Exp',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved as [Tensor];
      return { x: () => tf.mul(dy as Tensor, tf.exp(x)) };
    },
  });
  // elu(x) = x (x > 0), eˣ − 1 (x ≤ 0); the stock gradient runs the EluGrad kernel on the output,
  // which itself has no gradient.
  register(tf, {
    kernelName: 'Elu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved as [Tensor];
      const g = dy as Tensor;
      return { x: () => tf.where(tf.greater(x, 0), g, tf.mul(g, tf.exp(tf.minimum(x, 0)))) };
    },
  });

  // Comparisons are piecewise constant: zero gradient (shape of each input).
  for (const kernelName of ['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual']) {
    register(tf, {
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy, saved) => {
        const [a, b] = saved as [Tensor, Tensor];
        return { a: () => tf.zerosLike(a), b: () => tf.zerosLike(b) };
      },
    });
  }

  installConvGradients(tf);
}

/** Re-registers the Conv2D and Conv2DBackpropInput gradients from conv-grad.ts (see the file comment). */
function installConvGradients(tf: TF): void {
  const stockConv = stockGradient(tf, 'Conv2D');
  const stockTransposed = stockGradient(tf, 'Conv2DBackpropInput');
  register(tf, {
    kernelName: 'Conv2D',
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const a = attrs as unknown as ConvAttrs;
      if (!handledByConvGrad(a) && stockConv) return stockConv.gradFunc(dy, saved, attrs);
      const [x, W] = saved as [tfNs.Tensor4D, tfNs.Tensor4D];
      const g = dy as tfNs.Tensor4D;
      const { pads, strides } = resolveConv(tf, x.shape, W.shape, a);
      return {
        x: () => transposedConv2d(tf, g, W, [x.shape[1], x.shape[2]], strides, pads),
        filter: () => conv2dFilterGrad(tf, x, g, W.shape[0], W.shape[1], strides, pads),
      };
    },
  });
  // y = conv2dTranspose(dy, W): its gradients are a plain conv (for dy) and the filter gradient
  // of the forward conv with the roles of input and output gradient swapped (for W).
  register(tf, {
    kernelName: 'Conv2DBackpropInput',
    inputsToSave: ['dy', 'filter'],
    gradFunc: (ddx, saved, attrs) => {
      const a = attrs as unknown as ConvAttrs & { inputShape: number[] };
      if (!handledByConvGrad(a) && stockTransposed) return stockTransposed.gradFunc(ddx, saved, attrs);
      const [dy, W] = saved as [tfNs.Tensor4D, tfNs.Tensor4D];
      const g = ddx as tfNs.Tensor4D;
      const { pads, strides } = resolveConv(tf, a.inputShape, W.shape, a);
      return {
        dy: () =>
          tf.conv2d(g, W, strides, [
            [0, 0],
            [pads.top, pads.bottom],
            [pads.left, pads.right],
            [0, 0],
          ]),
        filter: () => conv2dFilterGrad(tf, g, dy, W.shape[0], W.shape[1], strides, pads),
      };
    },
  });
}
