/**
 * The gate's outputs, as strings (the CLI decides where they go): a text table for the terminal,
 * a Markdown table for GitHub's step summary, GitHub workflow commands (annotations), JUnit XML
 * for other CI systems, and a JSON-ready object.
 */
import { terminalLine, terminalText } from '@gen-eval/metrics/errors';
import type { BoundOutcome, BoundStatus, GateResult } from './evaluate-gate.js';

/** Shortest faithful text of a number: 6 significant digits, no trailing zeros. */
export function formatGateNumber(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  return String(Number(x.toPrecision(6)));
}

/**
 * Value and limit as text. When rounding would make them look equal although the bound failed
 * (e.g. 40.0000001 against a max of 40), both are shown in full so the verdict makes sense.
 */
function valueAndLimit(o: BoundOutcome): [string, string] {
  const v = formatGateNumber(o.value);
  const l = formatGateNumber(o.limit);
  return v === l && o.value !== o.limit ? [String(o.value), String(o.limit)] : [v, l];
}

/** `≤ 40`, or `≤ 41.2 = baseline.fid * 1.02` for an expression; ` (warn)` for warn-level bounds. */
export function describeBound(o: BoundOutcome): string {
  const limit = valueAndLimit(o)[1];
  const rel = o.kind === 'min' ? '≥' : '≤';
  return `${rel} ${limit}${o.isExpression ? ` = ${o.bound}` : ''}${o.level === 'warn' ? ' (warn)' : ''}`;
}

/** One sentence about a bound that did not hold: `fid = 45.2 is above the max 40 (fid.max)`. */
export function describeMiss(o: BoundOutcome): string {
  const [v, l] = valueAndLimit(o);
  const side = o.kind === 'min' ? 'below' : 'above';
  const what = `${o.level === 'warn' ? 'warn-level ' : ''}${o.kind}`;
  return `${o.metric} = ${v} is ${side} the ${what} ${l}${o.isExpression ? ` (${o.bound})` : ''} [${o.key}]`;
}

/** The closing line: `gate passed: 3 bounds, 2 pass, 1 warn, 0 fail`. */
export function gateSummaryLine(g: GateResult): string {
  const verdict = g.passed ? (g.status === 'warn' ? 'passed with warnings' : 'passed') : 'FAILED';
  const n = g.outcomes.length;
  return `gate ${verdict}: ${n} bound${n === 1 ? '' : 's'}, ${g.counts.pass} pass, ${g.counts.warn} warn, ${g.counts.fail} fail`;
}

/**
 * The terminal table (metric, value, bound, result), then the summary line. Metric names and
 * expressions come from the user's files: their control characters are shown escaped (a newline
 * in a name must not start a line of its own) and no line reads as a CI workflow command.
 */
export function renderGateTable(g: GateResult): string {
  // Escaped per cell, so that the columns line up with what is shown.
  const rows = g.outcomes.map((o) => [terminalLine(o.metric), valueAndLimit(o)[0], terminalLine(describeBound(o)), o.status]);
  const header = ['metric', 'value', 'bound', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return terminalText([line(header), ...rows.map(line), '', gateSummaryLine(g)].join('\n'));
}

/** Markdown-safe inline code: GFM tables need `|` escaped even inside code spans. */
function mdCode(s: string): string {
  const t = s.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');
  return t.includes('`') ? `\`\` ${t} \`\`` : `\`${t}\``;
}

const ICON: Readonly<Record<BoundStatus, string>> = { pass: '✅ pass', warn: '⚠️ warn', fail: '❌ fail' };

/** A Markdown section for `$GITHUB_STEP_SUMMARY`: heading, sources, table, counts. */
export function renderGateMarkdown(g: GateResult): string {
  const title = g.passed ? (g.status === 'warn' ? '⚠️ passed with warnings' : '✅ passed') : '❌ failed';
  const sources = [`results ${mdCode(g.results)}`, `thresholds ${mdCode(g.thresholds)}`, ...(g.baseline !== undefined ? [`baseline ${mdCode(g.baseline)}`] : [])];
  const rows = g.outcomes.map((o) => {
    const [v, l] = valueAndLimit(o);
    const rel = o.kind === 'min' ? '≥' : '≤';
    const bound = `${rel} ${l}${o.isExpression ? ` = ${mdCode(o.bound)}` : ''}${o.level === 'warn' ? ' (warn)' : ''}`;
    return `| ${mdCode(o.metric)} | ${v} | ${bound} | ${ICON[o.status]} |`;
  });
  return [
    `### gen-eval quality gate: ${title}`,
    '',
    `${sources.join(', ')}.`,
    '',
    '| Metric | Value | Bound | Result |',
    '| --- | ---: | --- | --- |',
    ...rows,
    '',
    `${g.counts.pass} pass, ${g.counts.warn} warn, ${g.counts.fail} fail.`,
    '',
  ].join('\n');
}

/** Escapes a workflow command's message as GitHub's toolkit does. */
export function escapeCommandData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command property value (also `:` and `,`, which delimit properties). */
export function escapeCommandProperty(s: string): string {
  return escapeCommandData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::error title=…::…` per failed bound and `::warning …` per warned one (GitHub Actions annotations). */
export function githubAnnotations(g: GateResult): string[] {
  return g.outcomes
    .filter((o) => o.status !== 'pass')
    .map((o) => {
      const cmd = o.status === 'fail' ? 'error' : 'warning';
      const title = `gen-eval gate: ${o.key}`;
      const data = escapeCommandData(`${describeMiss(o)} in ${g.results} (thresholds: ${g.thresholds})`);
      // CR and LF are escaped the toolkit's way; then other control characters (ESC) and a legacy
      // `##[` command inside a name, the terminal's way.
      return `::${cmd} title=${terminalLine(escapeCommandProperty(title))}::${terminalLine(data)}`;
    });
}

/** XML text/attribute escaping; characters XML 1.0 cannot hold at all are dropped. */
export function escapeXml(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex -- dropping the control characters XML cannot hold is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      .replace(/\n/g, '&#10;')
      .replace(/\r/g, '&#13;')
  );
}

/**
 * JUnit XML: one <testsuite> with one <testcase> per bound. The test case name is the bound's
 * key (`fid.max`), stable across runs so CI history tracks it even when a baseline expression's
 * limit changes. A failed bound has a <failure>. A warned bound is a *passed* test case with a
 * <system-out> saying "WARNING: …": Jenkins and GitLab both count <skipped> as "not run" (and
 * GitLab lists it among skipped tests), which would misreport a check that ran; a pass with
 * output keeps the counts true and shows the warning in both tools' test details.
 */
export function renderJunit(g: GateResult, suiteName = 'gen-eval quality gate'): string {
  const a = escapeXml;
  const props = [['results', g.results], ['thresholds', g.thresholds], ...(g.baseline !== undefined ? [['baseline', g.baseline]] : [])].map(
    ([k, v]) => `      <property name="${a(k!)}" value="${a(v!)}"/>`,
  );
  const cases = g.outcomes.map((o) => {
    const open = `    <testcase classname="gen-eval.gate.${a(o.metric)}" name="${a(o.key)}" time="0">`;
    const [v] = valueAndLimit(o);
    const detail = `${o.metric} = ${v}, bound ${describeBound(o)}`;
    if (o.status === 'fail') {
      return `${open}\n      <failure type="threshold" message="${a(describeMiss(o))}">${a(detail)}</failure>\n    </testcase>`;
    }
    const out = o.status === 'warn' ? `WARNING: ${describeMiss(o)} (warn level: reported, does not fail the gate)` : `pass: ${detail}`;
    return `${open}\n      <system-out>${a(out)}</system-out>\n    </testcase>`;
  });
  const n = g.outcomes.length;
  const counts = `tests="${n}" failures="${g.counts.fail}" errors="0" skipped="0" time="0"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${a(suiteName)}" ${counts}>`,
    `  <testsuite name="${a(suiteName)}" ${counts}>`,
    '    <properties>',
    ...props,
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** The gate as a JSON-ready object (the `--json` output and eval's `gate` key). */
export function gateToJson(g: GateResult): Record<string, unknown> {
  return {
    status: g.status,
    passed: g.passed,
    counts: g.counts,
    results: g.results,
    thresholds: g.thresholds,
    baseline: g.baseline ?? null,
    bounds: g.outcomes.map((o) => ({
      metric: o.metric,
      key: o.key,
      level: o.level,
      kind: o.kind,
      bound: o.bound,
      limit: o.limit,
      value: o.value,
      status: o.status,
    })),
  };
}
