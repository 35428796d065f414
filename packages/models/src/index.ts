/**
 * @gen-eval/models — generative image models trained with TensorFlow.js.
 * Training picks its backend at run time (see `selectBackend`).
 */
export { BACKEND_ORDER, selectBackend, type BackendChoice, type SelectedBackend } from './backend.js';
