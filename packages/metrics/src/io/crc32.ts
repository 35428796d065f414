/** CRC-32 (IEEE 802.3), as zip members and PNG chunks carry it. */
import * as zlib from 'node:zlib';

/** The CRC-32 (IEEE 802.3, zip's) lookup table. */
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

// Node ≥ 20.15 has a native CRC-32, ~15× faster than the table (0.1 s for a 32 MB covariance).
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** CRC-32 of `bytes`: zip's per-member check (fflate's unzip does not verify it) and PNG's per-chunk one. */
export function crc32(bytes: Uint8Array): number {
  if (nativeCrc32) return nativeCrc32(bytes) >>> 0;
  return crc32Table(bytes);
}

/** The table-driven CRC-32, for Node versions without zlib.crc32. */
export function crc32Table(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
