/**
 * @gen-eval/metrics/images — image decoding as Pillow does it, folder listing, and the resampling
 * profiles (torch's bilinear, Pillow's bicubic; WebAssembly kernels where they run). Decoding
 * imports sharp (libvips) on first use, not at import.
 */
export type { RgbImage } from './image/rgb-image.js';
export { decodeImage, decodeImageFile } from './image/decode.js';
export { IMAGE_EXTENSIONS, isImageFileName, listImages, type ImageFileEntry, type ImageListing } from './image/list-images.js';
export { resizeBilinear } from './image/resize-bilinear.js';
export { resizeBicubicPillow } from './image/resize-pillow.js';
export { resizeTorchBicubic, type TorchResized, type TorchResizeTarget } from './image/resize-torch-bicubic.js';
export { cropRgb, resizeBicubicPillowRgb } from './image/resize-pillow-u8.js';
export {
  preprocess,
  preprocessClean,
  preprocessProfile,
  preprocessPytorchFid,
  NETWORK_PROFILE_NAMES,
  PROFILE_NAMES,
  resolveProfile,
  type AnyProfileName,
  type ExtractorProfiles,
  type NetworkProfileName,
  type PreprocessProfile,
  type ProfileName,
  type ProfileRange,
} from './image/profiles.js';
