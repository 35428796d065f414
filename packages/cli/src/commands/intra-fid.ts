/**
 * `gen-eval intra-fid REAL FAKE --real-labels A.npy --fake-labels B.npy [--json]` — intra-FID
 * (Miyato & Koyama 2018): the FID of each class's generated samples against its real ones,
 * averaged over classes. REAL and FAKE are image folders, `.npy` image arrays or `.npy` features,
 * as `gen-eval fid` takes them (not `.npz` statistics: the classes need per-sample rows); label i
 * belongs to row i (a folder's images in sorted file order, as `gen-eval features` writes them).
 */
import { fileDigest, featuresOf } from '@gen-eval/metrics/extract';
import { METRIC, readClassLabels, readInputFile } from '@gen-eval/metrics';
import { intraFid } from '@gen-eval/metrics/conditional';
import { inputError } from '@gen-eval/metrics/errors';
import { emit, type OutputOptions } from '../output.js';
import { inputRecord, loadInputs } from '../read-inputs.js';

/**
 * A labels file: integers of any width (or bools), floats holding integers, or strings of decimal
 * digits; shape (N,) or (N, 1). Other strings are refused: two files could not be matched by name.
 */
function readLabels(path: string): ArrayLike<number | bigint> {
  const arr = readClassLabels(path);
  if (arr.classNames !== undefined)
    throw inputError(path, `holds string labels that are not integers (e.g. ${JSON.stringify(arr.classNames[0])}); intra-FID needs integer class labels`);
  if (arr.shape.length > 2 || (arr.shape.length === 2 && arr.shape[1] !== 1))
    throw inputError(path, `has shape (${arr.shape.join(', ')}); labels are one integer per row, shape (N,) or (N, 1)`);
  return arr.labels;
}

export async function run(realPath: string, fakePath: string, opts: OutputOptions & { realLabels: string; fakeLabels: string }): Promise<void> {
  // Labels first: a wrong file fails before any image is decoded.
  const [realLabels, fakeLabels] = [readLabels(opts.realLabels), readLabels(opts.fakeLabels)];
  const { inputs, warnings } = await loadInputs([realPath, fakePath], opts, { minRows: 1, accept: ['images', 'features'] });
  const [real, fake] = inputs.map((x) => featuresOf(x, 'intra-FID')) as [ReturnType<typeof featuresOf>, ReturnType<typeof featuresOf>];
  const r = await intraFid(real, realLabels, fake, fakeLabels, {
    names: [realPath, opts.realLabels, fakePath, opts.fakeLabels],
    // Image inputs: each class's statistics as `gen-eval fid` would stream that class's own folder.
    streamed: [inputs[0]!.kind === 'images', inputs[1]!.kind === 'images'],
  });
  const perClass = r.details.perClass.map((c) => ({ label: c.label, fid: c.fid, n_real: c.nReal, n_fake: c.nFake, method: c.method, epsilon_added: c.epsilonAdded }));
  emit(
    {
      metric: 'intra_fid',
      [METRIC.intra_fid]: r.intraFid,
      classes: r.classes,
      dims: r.dims,
      n_real: real.rows,
      n_fake: fake.rows,
      details: { per_class: perClass },
      inputs: inputs.map(inputRecord),
      labels: [opts.realLabels, opts.fakeLabels].map((path) => ({ path, sha256: fileDigest(readInputFile(path, 'a .npy file')) })),
    },
    opts,
    [`intra-FID:  ${r.intraFid}  (mean over ${r.classes} classes)`, ...perClass.map((c) => `  class ${c.label}: FID ${c.fid}  (${c.n_real} real, ${c.n_fake} generated)`)].join(
      '\n',
    ),
    [...warnings, ...r.warnings],
  );
}
