/** Float64 dense linear algebra: products (onnxruntime or JS), Cholesky, symmetric eigenvalues, singular values. */
export { gemmAB, gemmABSync, gemmABt, gemmABtSync, gemmAtB, gemmAtBSync } from './gemm.js';
export { configureLinalg, linalgConfig, onnxAvailable, type LinalgBackend, type LinalgConfig } from './onnx-backend.js';
export { cholesky, isCholeskyFailure, type CholeskyFailure, type CholeskyOptions } from './cholesky.js';
export { lowerCongruence } from './congruence.js';
export { symmetricEigenvalues } from './symmetric-eigenvalues.js';
export { tridiagonalize, type Tridiagonal, type TridiagonalizeOptions, type TridiagonalizeProfile } from './tridiagonalize.js';
export { tridiagonalEigenvalues } from './tridiagonal-eigenvalues.js';
export { nuclearNorm, singularValues, traceSqrtFromEigenvalues } from './nuclear-norm.js';
