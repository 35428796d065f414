/**
 * docs/hyper-parameters.md holds the families' hyper-parameter tables between two markers; the
 * part between them is generated from the schemas (hyper-param-text.ts) and checked by a test.
 */

export const GENERATED_START = "<!-- generated from the families' schemas by `npm run docs:hyper-params`; do not edit by hand -->";
export const GENERATED_END = '<!-- end of generated tables -->';

/** The generated part of `doc` (undefined when its markers are missing). */
export function generatedPart(doc: string): string | undefined {
  const a = doc.indexOf(GENERATED_START);
  const b = doc.indexOf(GENERATED_END);
  return a < 0 || b < a
    ? undefined
    : doc
        .slice(a + GENERATED_START.length, b)
        .replace(/^\n+/, '')
        .replace(/\n+$/, '\n');
}

/** `doc` with its generated part replaced by `tables`. */
export function replaceGenerated(doc: string, tables: string): string {
  const a = doc.indexOf(GENERATED_START);
  const b = doc.indexOf(GENERATED_END);
  if (a < 0 || b < a) throw new Error(`the document lacks the markers ${GENERATED_START} … ${GENERATED_END}`);
  return `${doc.slice(0, a + GENERATED_START.length)}\n\n${tables}\n${doc.slice(b)}`;
}
