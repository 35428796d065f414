/**
 * Torch storage element types and their conversion to float32 (the precision every network we
 * build runs in). Kept apart from the reader so the writer and tests share one table.
 */

export type TorchDtype = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'bool';

/** `torch.<Name>Storage` → element type. `UntypedStorage` holds raw bytes. */
export const STORAGE_DTYPES: Readonly<Record<string, TorchDtype>> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
  UntypedStorage: 'uint8',
};

export const ELEMENT_SIZE: Readonly<Record<TorchDtype, number>> = {
  float32: 4,
  float64: 8,
  float16: 2,
  bfloat16: 2,
  int64: 8,
  int32: 4,
  int16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
};

/** IEEE half → number (exact). */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Converts `count` little-endian elements starting at byte `byteOffset` of `bytes` to float32.
 * float32 data is copied with one aligned slice (the hot path: 95 MB of Inception weights).
 */
export function toFloat32(bytes: Uint8Array, dtype: TorchDtype, byteOffset: number, count: number): Float32Array {
  const size = ELEMENT_SIZE[dtype];
  const start = bytes.byteOffset + byteOffset;
  if (dtype === 'float32') return new Float32Array(bytes.buffer.slice(start, start + count * 4));
  const dv = new DataView(bytes.buffer, start, count * size);
  const out = new Float32Array(count);
  const bits = new Uint32Array(1);
  const asFloat = new Float32Array(bits.buffer);
  for (let i = 0; i < count; i++) {
    const o = i * size;
    switch (dtype) {
      case 'float64':
        out[i] = dv.getFloat64(o, true);
        break;
      case 'float16':
        out[i] = halfToNumber(dv.getUint16(o, true));
        break;
      case 'bfloat16':
        bits[0] = dv.getUint16(o, true) << 16;
        out[i] = asFloat[0]!;
        break; // the top half of a float32
      case 'int64':
        out[i] = Number(dv.getBigInt64(o, true));
        break;
      case 'int32':
        out[i] = dv.getInt32(o, true);
        break;
      case 'int16':
        out[i] = dv.getInt16(o, true);
        break;
      case 'int8':
        out[i] = dv.getInt8(o);
        break;
      case 'uint8':
      case 'bool':
        out[i] = dv.getUint8(o);
        break;
    }
  }
  return out;
}
