/**
 * A minimal protobuf encoder for ONNX models: just the messages and fields we emit
 * (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto).
 * Field numbers follow onnx/onnx.proto. Building graphs ourselves lets us turn a weight file into
 * a model at run time with no converter and no download.
 */

/** ONNX TensorProto.DataType values we use. */
export const DataType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, DOUBLE: 11 } as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

class Writer {
  private chunks: Uint8Array[] = [];
  private size = 0;
  private push(b: Uint8Array): void {
    this.chunks.push(b);
    this.size += b.length;
  }
  varint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v));
    const bytes: number[] = [];
    do {
      let byte = Number(x & 0x7fn);
      x >>= 7n;
      if (x !== 0n) byte |= 0x80;
      bytes.push(byte);
    } while (x !== 0n);
    this.push(Uint8Array.from(bytes));
  }
  tag(field: number, wire: 0 | 1 | 2 | 5): void {
    this.varint((field << 3) | wire);
  }
  int(field: number, v: number | bigint): void {
    this.tag(field, 0);
    this.varint(v);
  }
  bytes(field: number, b: Uint8Array): void {
    this.tag(field, 2);
    this.varint(b.length);
    this.push(b);
  }
  string(field: number, s: string): void {
    this.bytes(field, new TextEncoder().encode(s));
  }
  float(field: number, v: number): void {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.push(b);
  }
  message(field: number, build: (w: Writer) => void): void {
    const inner = new Writer();
    build(inner);
    this.bytes(field, inner.finish());
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

/** A node attribute value: number → INT (if integer-typed by `kind`) or FLOAT; arrays → INTS/FLOATS. */
export type AttributeValue =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] }
  | { kind: 'string'; value: string };

/** One ONNX graph node: operator, input and output value names, attributes. */
export interface NodeSpec {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  attributes?: Readonly<Record<string, AttributeValue>>;
}

/** An ONNX initializer (constant tensor): name, element type, shape and values. */
export interface TensorSpec {
  name: string;
  dataType: DataTypeCode;
  dims: readonly number[];
  /** Raw little-endian bytes of the values, C order. */
  data: Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;
}

/** A graph input or output: dims may be numbers or symbolic names (e.g. "batch"). */
export interface ValueSpec {
  name: string;
  dataType: DataTypeCode;
  dims: readonly (number | string)[];
}

/** An ONNX model for `encodeModel`: graph nodes, initializers, inputs, outputs and opset. */
export interface ModelSpec {
  nodes: readonly NodeSpec[];
  initializers: readonly TensorSpec[];
  inputs: readonly ValueSpec[];
  outputs: readonly ValueSpec[];
  graphName?: string;
  opset?: number;
  producer?: string;
}

const ATTR_TYPE = { float: 1, int: 2, string: 3, floats: 6, ints: 7 } as const;

function writeAttribute(w: Writer, name: string, a: AttributeValue): void {
  w.string(1, name);
  switch (a.kind) {
    case 'float':
      w.float(2, a.value);
      break;
    case 'int':
      w.int(3, a.value);
      break;
    case 'string':
      w.string(4, a.value);
      break;
    case 'floats':
      for (const v of a.value) w.float(7, v);
      break;
    case 'ints':
      for (const v of a.value) w.int(8, v);
      break;
  }
  w.int(20, ATTR_TYPE[a.kind]);
}

function writeTensor(w: Writer, t: TensorSpec): void {
  for (const d of t.dims) w.int(1, d);
  w.int(2, t.dataType);
  w.string(8, t.name);
  w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

function writeValueInfo(w: Writer, v: ValueSpec): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.dataType);
      tensor.message(2, (shape) => {
        for (const d of v.dims) {
          shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        }
      });
    }),
  );
}

/** Serialises a model to ONNX protobuf bytes, ready for `InferenceSession.create(bytes)`. */
export function encodeModel(spec: ModelSpec): Uint8Array {
  const w = new Writer();
  w.int(1, 8); // ir_version 8 (ONNX 1.10+), understood by every onnxruntime ≥ 1.10
  w.string(2, spec.producer ?? 'gen-eval');
  w.message(7, (g) => {
    spec.nodes.forEach((n, i) => {
      g.message(1, (nw) => {
        for (const x of n.inputs) nw.string(1, x);
        for (const y of n.outputs) nw.string(2, y);
        nw.string(3, n.name ?? `${n.op}_${i}`);
        nw.string(4, n.op);
        for (const [k, a] of Object.entries(n.attributes ?? {})) nw.message(5, (aw) => writeAttribute(aw, k, a));
      });
    });
    g.string(2, spec.graphName ?? 'graph');
    for (const t of spec.initializers) g.message(5, (tw) => writeTensor(tw, t));
    for (const v of spec.inputs) g.message(11, (vw) => writeValueInfo(vw, v));
    for (const v of spec.outputs) g.message(12, (vw) => writeValueInfo(vw, v));
  });
  w.message(8, (o) => {
    o.string(1, '');
    o.int(2, spec.opset ?? 17);
  });
  return w.finish();
}
