/**
 * Bound expressions such as `baseline.fid * 1.05`, parsed and evaluated with mathjs's expression
 * parser — never JavaScript's eval. A parsed expression is checked against a whitelist of node
 * types (numbers, `baseline.<metric>`, arithmetic, a few numeric functions) before it may run, so
 * a thresholds file from a pull request cannot reach mathjs's `import`, `createUnit`, `evaluate`,
 * assignments or function definitions (mathjs's security notes advise disabling those; here they
 * cannot even be named, and the instance disables them as a second line of defence).
 */
// The number-only build: plain JavaScript numbers are all a bound needs, it leaves out units,
// matrices and big numbers (less to guard), and it loads in a fraction of the full build's time.
import { all, create, type MathJsInstance, type MathNode } from 'mathjs/number';
import { quoteInput } from '@gen-eval/metrics/errors';

/** Functions a bound may call: numeric, pure, one result. */
export const ALLOWED_FUNCTIONS: readonly string[] = ['min', 'max', 'abs', 'sqrt', 'exp', 'log', 'log10', 'log2', 'round', 'floor', 'ceil'];

/** Operators a bound may use (mathjs's function names for them). */
const ALLOWED_OPERATORS: ReadonlySet<string> = new Set(['add', 'subtract', 'multiply', 'divide', 'pow', 'unaryMinus', 'unaryPlus', 'mod']);

const ALLOWED_FUNCTION_SET: ReadonlySet<string> = new Set(ALLOWED_FUNCTIONS);

/** What an expression may contain, for error messages. */
const GRAMMAR_HINT = `a bound expression may use numbers, baseline.<metric>, + - * / ^ mod, parentheses and ${ALLOWED_FUNCTIONS.join(', ')}`;

/** Raised for an expression that does not parse or uses something outside the whitelist. */
export class ExpressionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpressionError';
  }
}

interface Engine {
  parse(text: string): MathNode;
}

let engine: Engine | undefined;

/**
 * The mathjs instance, created on first use (create(all) takes a noticeable moment, and commands
 * that never gate should not pay for it).
 */
function getEngine(): Engine {
  if (engine) return engine;
  // mathjs types `all` as possibly undefined (for its tree-shaken builds); the full build has it.
  const math: MathJsInstance = create(all!, { number: 'number' });
  const parse = math.parse.bind(math);
  const disabled = (name: string) => () => {
    throw new Error(`function ${name} is disabled`);
  };
  // mathjs's security documentation: keep a reference to what we need, then override the
  // functions that could change the instance or evaluate nested code.
  math.import(
    {
      import: disabled('import'),
      createUnit: disabled('createUnit'),
      evaluate: disabled('evaluate'),
      parse: disabled('parse'),
      simplify: disabled('simplify'),
      derivative: disabled('derivative'),
      resolve: disabled('resolve'),
    },
    { override: true },
  );
  engine = { parse };
  return engine;
}

/** A parsed, whitelisted bound expression. */
export interface BoundExpression {
  /** The text as written in the thresholds file. */
  readonly text: string;
  /** The baseline keys it reads (`baseline.fid` → `fid`), in order of first use. */
  readonly baselineKeys: readonly string[];
  /** Evaluates it; throws ExpressionError unless the result is a finite number. */
  evaluate(baseline: ReadonlyMap<string, number>): number;
}

/** Reads `baseline.<key>` or `baseline["key"]`; anything else on an accessor is refused. */
function baselineKeyOf(node: MathNode): string {
  const n = node as MathNode & { object: MathNode; index: MathNode & { dimensions: MathNode[] } };
  const obj = n.object as MathNode & { name?: string };
  if (obj.type !== 'SymbolNode' || obj.name !== 'baseline') {
    throw new ExpressionError(`only baseline.<metric> may be read with "." or "[…]"`);
  }
  const dims = n.index.dimensions;
  const dim = dims[0] as (MathNode & { value?: unknown }) | undefined;
  if (dims.length !== 1 || !dim || dim.type !== 'ConstantNode' || typeof dim.value !== 'string') {
    throw new ExpressionError(`baseline must be followed by .<metric> or ["<metric>"]`);
  }
  return dim.value;
}

/** Walks the tree, refusing any node outside the whitelist and collecting baseline keys. */
function check(node: MathNode, keys: string[]): void {
  const n = node as MathNode & Record<string, unknown>;
  switch (node.type) {
    case 'ConstantNode':
      if (typeof n.value !== 'number') throw new ExpressionError(`${quoteInput(JSON.stringify(n.value))} is not a number; ${GRAMMAR_HINT}`);
      return;
    case 'ParenthesisNode':
      return check(n.content as MathNode, keys);
    case 'OperatorNode':
      if (!ALLOWED_OPERATORS.has(String(n.fn))) throw new ExpressionError(`operator "${String(n.op)}" is not allowed; ${GRAMMAR_HINT}`);
      for (const a of n.args as MathNode[]) check(a, keys);
      return;
    case 'FunctionNode': {
      const fn = n.fn as MathNode & { name?: string };
      if (fn.type !== 'SymbolNode' || !fn.name || !ALLOWED_FUNCTION_SET.has(fn.name)) {
        throw new ExpressionError(`function ${quoteInput(fn.name ?? fn.toString())} is not allowed; ${GRAMMAR_HINT}`);
      }
      for (const a of n.args as MathNode[]) check(a, keys);
      return;
    }
    case 'AccessorNode': {
      const key = baselineKeyOf(node);
      if (!keys.includes(key)) keys.push(key);
      return;
    }
    case 'SymbolNode': {
      const name = String(n.name);
      if (name === 'baseline') throw new ExpressionError(`use baseline.<metric>, not baseline alone`);
      throw new ExpressionError(`unknown name ${quoteInput(name)}${name.length <= 40 ? ` (did you mean baseline.${name}?)` : ''}; ${GRAMMAR_HINT}`);
    }
    default:
      throw new ExpressionError(`${node.type.replace(/Node$/, '').toLowerCase()} ${quoteInput(node.toString())} is not allowed; ${GRAMMAR_HINT}`);
  }
}

/** One short line, whatever mathjs's message looked like (its messages quote parts of the input). */
const oneLine = (s: string) => {
  const line = s.replace(/\s*\n\s*/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
};

/** Longer than any real bound; mathjs's recursive parser need not see a 200 KB expression. */
const MAX_EXPRESSION_LENGTH = 1000;

/** Deeper than any real bound; mathjs parses brackets recursively (≈ 490 levels exhaust the stack). */
const MAX_NESTING = 64;

/** The deepest nesting of (), [] and {} in `text`. */
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (const c of text) {
    if (c === '(' || c === '[' || c === '{') max = Math.max(max, ++depth);
    else if (c === ')' || c === ']' || c === '}') depth--;
  }
  return max;
}

/**
 * Parses and checks a bound expression. Throws ExpressionError when it is empty, over 1000
 * characters or nested over 64 brackets deep, does not parse, or uses anything but numbers, `baseline.<metric>`, arithmetic and
 * the allowed functions.
 */
export function parseBoundExpression(text: string): BoundExpression {
  if (text.trim() === '') throw new ExpressionError('is empty');
  if (text.length > MAX_EXPRESSION_LENGTH) throw new ExpressionError(`is ${text.length} characters long; a bound expression may have at most ${MAX_EXPRESSION_LENGTH}`);
  const depth = nestingDepth(text);
  if (depth > MAX_NESTING) throw new ExpressionError(`nests brackets ${depth} deep; a bound expression may nest at most ${MAX_NESTING}`);
  let tree: MathNode;
  try {
    tree = getEngine().parse(text);
  } catch (err) {
    throw new ExpressionError(`does not parse: ${oneLine((err as Error).message)}`);
  }
  const keys: string[] = [];
  check(tree, keys);
  const compiled = tree.compile();
  return {
    text,
    baselineKeys: keys,
    evaluate(baseline: ReadonlyMap<string, number>): number {
      // A plain object: mathjs only reads own, non-prototype properties of plain objects, so keys
      // such as "constructor" or "__proto__" fail with mathjs's "No access" instead of leaking.
      const b = Object.fromEntries(baseline);
      let value: unknown;
      try {
        value = compiled.evaluate({ baseline: b });
      } catch (err) {
        throw new ExpressionError(`failed: ${oneLine((err as Error).message)}`);
      }
      if (typeof value !== 'number') throw new ExpressionError(`gives ${oneLine(String(value))}, not a number`);
      if (!Number.isFinite(value)) throw new ExpressionError(`gives ${value}, not a finite number`);
      return value;
    },
  };
}
