/** Minimal typings for the two pure-JavaScript decompressors used by io/unzip.ts (neither ships types). */
declare module 'seek-bzip' {
  /** Decodes a whole bzip2 stream. */
  const Bunzip: { decode(input: Buffer, output?: Buffer): Buffer };
  export default Bunzip;
}
declare module 'lzma' {
  /** LZMA-JS: synchronous when no callback is given; a string when the output is valid UTF-8. */
  const LZMA: { decompress(input: Uint8Array | number[]): string | number[] };
  export default LZMA;
}
