/**
 * The captions of `gen-eval clip-score IMAGES --captions FILE`, one per image:
 *  - a text file: one caption per line, in the folder's sorted image order (a final newline is
 *    optional; every other line counts, so a blank line is an empty caption and refused);
 *  - `.json`: an object mapping image name → caption;
 *  - `.csv`: rows `name,caption` (RFC 4180 quoting; an optional header `file,caption`).
 * A mapping's names are paths relative to the folder (`/`-separated) or, when unambiguous, bare
 * file names. Every problem is one error naming the captions file.
 */
import { basename } from 'node:path';
import { inputError } from '@gen-eval/metrics/errors';
import { readInputFile } from '@gen-eval/metrics';

/** Captions as the file gives them: in order, or by image name (with where each was found). */
export type CaptionsSource =
  | { readonly kind: 'lines'; readonly captions: readonly string[] }
  | { readonly kind: 'mapping'; readonly entries: readonly { readonly name: string; readonly caption: string; readonly where: string }[] };

/** Splits CSV text into rows of fields (RFC 4180: quoted fields may hold commas, quotes, newlines). */
function csvRows(text: string, file: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (quoted) throw inputError(file, 'a quoted CSV field is not closed');
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** Parses captions file contents (see the module comment); `file` names it in errors. */
export function parseCaptions(text: string, file: string): CaptionsSource {
  const body = text.replace(/^\ufeff/, '');
  const lower = file.toLowerCase();
  if (lower.endsWith('.json')) {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (e) {
      throw inputError(file, `not valid JSON (${(e as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw inputError(file, 'expected a JSON object mapping image file names to captions');
    }
    const entries = Object.entries(value).map(([name, caption]) => {
      if (typeof caption !== 'string') throw inputError(file, `the caption of "${name}" is not a string`);
      return { name, caption, where: `"${name}"` };
    });
    return { kind: 'mapping', entries };
  }
  if (lower.endsWith('.csv')) {
    const rows = csvRows(body, file);
    const header = rows[0] !== undefined && /^(file|filename|image|name)$/i.test(rows[0][0]!.trim()) && /^(caption|text)$/i.test((rows[0][1] ?? '').trim());
    const entries = rows.slice(header ? 1 : 0).map((r, i) => {
      const line = i + (header ? 2 : 1);
      if (r.length !== 2) throw inputError(file, `row ${line} has ${r.length} fields; expected name,caption (quote captions that hold commas)`);
      return { name: r[0]!.trim(), caption: r[1]!, where: `row ${line}` };
    });
    return { kind: 'mapping', entries };
  }
  const lines = body.split(/\r\n|\n|\r/);
  if (lines.at(-1) === '') lines.pop();
  return { kind: 'lines', captions: lines };
}

/** Reads and parses a captions file. */
export function readCaptions(file: string): CaptionsSource {
  return parseCaptions(new TextDecoder('utf-8').decode(readInputFile(file, 'a captions file')), file);
}

/**
 * One caption per image, in `images` order (relative paths as the folder listing gives them).
 * Refuses a count mismatch, a name that is no image of the folder, an image without a caption,
 * a name given twice and an empty caption.
 */
export function captionsForImages(source: CaptionsSource, images: readonly string[], file: string): string[] {
  const empty = (caption: string) => caption.trim() === '';
  if (source.kind === 'lines') {
    if (source.captions.length !== images.length) {
      throw inputError(file, `has ${source.captions.length} caption lines for ${images.length} images (one caption per image, in sorted file order)`);
    }
    const blank = source.captions.findIndex(empty);
    if (blank >= 0) throw inputError(file, `line ${blank + 1} is an empty caption (for ${images[blank]})`);
    return [...source.captions];
  }
  const byPath = new Map(images.map((p, i) => [p, i]));
  const byBase = new Map<string, number | null>();
  images.forEach((p, i) => byBase.set(basename(p), byBase.has(basename(p)) ? null : i));
  const out = new Array<string | undefined>(images.length);
  for (const { name, caption, where } of source.entries) {
    const key = name.replace(/\\/g, '/').replace(/^\.\//, '');
    const index = byPath.get(key) ?? byBase.get(key);
    if (index === undefined) throw inputError(file, `${where} names "${name}", which is not an image of the folder`);
    if (index === null) throw inputError(file, `${where} names "${name}", which several images share; give the path relative to the folder`);
    if (out[index] !== undefined) throw inputError(file, `${where} gives a second caption for ${images[index]}`);
    if (empty(caption)) throw inputError(file, `${where} is an empty caption (for ${images[index]})`);
    out[index] = caption;
  }
  const missing = out.findIndex((c) => c === undefined);
  if (missing >= 0) {
    const count = out.filter((c) => c === undefined).length;
    throw inputError(file, `no caption for ${images[missing]}${count > 1 ? ` (and ${count - 1} more images)` : ''}`);
  }
  return out as string[];
}
