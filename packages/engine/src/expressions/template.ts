import { Budget } from '../budget/budget';
import { BudgetExceededError } from '../budget/errors';
import { stringifyWithin } from '../budget/stringify';
import { formatPath } from '../issues';
import { ExpressionError, type ExpressionErrorKind } from './errors';
import { checkSyntax, evaluate, parseExpression } from './jmespath';
import { closingQuote } from './lexical';
import { LruCache } from './lru';
import { SECRETS_ROOT, bareSecretName } from './secret-path';

/*
 * Templates: strings in node config with embedded `{{ <JMESPath> }}`.
 *
 * Where a template ends: it starts at `{{` and ends at the first `}}` that is neither inside a
 * JMESPath quoted token ('raw string', "quoted identifier", `JSON literal`, with backslash
 * escapes) nor closing a brace opened inside the expression. So `{{ 'a}}b' }}` is the raw
 * string "a}}b" and `{{ {a: {b: c}} }}` is a nested multi-select hash. The expression is the
 * text between the delimiters, trimmed. A `{{` without its `}}` is a syntax error.
 * There is no escape syntax: a literal `{{` in text is written `{{ '{{' }}`.
 *
 * What a template yields: a string that is exactly one template (whitespace around allowed)
 * yields the expression's value with its type; any other string yields a string in which each
 * template is replaced by its value: null -> "", string as is, number/boolean via String,
 * object/array as JSON.
 */

type Part = string | { expression: string; offset: number };

interface ParsedTemplate {
  parts: Part[];
  /** The single expression when the whole string is one template. */
  whole?: string;
  /** Set when a `{{` is not closed (offset of that `{{`); the parts stop before it. */
  unterminated?: { expression: string; offset: number };
}

const OPEN = '{{';

/** Index of the `}}` closing a template whose expression starts at `from`, or -1. */
function templateEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i += 1) {
    const ch = text[i];
    if (ch === '"' || ch === "'" || ch === '`') {
      i = closingQuote(text, i, ch);
      if (i < 0) return -1;
    } else if (ch === '{') {
      depth += 1;
    } else if (ch === '}') {
      if (depth > 0) depth -= 1;
      else if (text[i + 1] === '}') return i;
    }
  }
  return -1;
}

function parse(text: string): ParsedTemplate {
  const parts: Part[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf(OPEN, i);
    if (open < 0) break;
    if (open > i) parts.push(text.slice(i, open));
    const end = templateEnd(text, open + OPEN.length);
    if (end < 0) {
      return { parts, unterminated: { expression: text.slice(open + OPEN.length).trim(), offset: open } };
    }
    parts.push(locate(text, open + OPEN.length, end));
    i = end + 2;
  }
  if (i < text.length) parts.push(text.slice(i));
  const expressions = parts.filter((p) => typeof p !== 'string');
  const onlyBlankText = parts.every((p) => typeof p !== 'string' || p.trim() === '');
  const single = expressions[0];
  return expressions.length === 1 && single && onlyBlankText ? { parts, whole: single.expression } : { parts };
}

/** The trimmed expression between `start` and `end`, with the offset where it begins. */
function locate(text: string, start: number, end: number): { expression: string; offset: number } {
  const raw = text.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  return { expression: raw.trim(), offset: start + lead };
}

const TEMPLATE_CACHE_SIZE = 1000;
const cache = new LruCache<string, ParsedTemplate>(TEMPLATE_CACHE_SIZE);

function parseCached(text: string): ParsedTemplate {
  let parsed = cache.get(text);
  if (parsed === undefined) {
    parsed = parse(text);
    cache.set(text, parsed);
  }
  return parsed;
}

/** Whether a string contains a template at all (the common fast path is "no"). */
export function isTemplate(text: string): boolean {
  return text.includes(OPEN);
}

function toText(value: unknown, budget: Budget): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return stringifyWithin(value, budget, 'a template');
  return String(value);
}

/** A step's resolved secrets, when the context carries them (executor steps only). */
type Secrets = Readonly<Record<string, unknown>> | undefined;

/**
 * One template expression's value. A bare `secrets.NAME` is looked up in the step's secrets;
 * every other expression is evaluated against the context WITHOUT the secrets, so no function,
 * `@`, `$` or `let` can reach (and reshape) a secret value whatever it is written as.
 */
function evaluatePart(expression: string, context: unknown, secrets: Secrets, budget: Budget): unknown {
  if (secrets !== undefined) {
    const name = bareSecretName(parseExpression(expression));
    if (name !== undefined) return Object.hasOwn(secrets, name) ? (secrets[name] ?? null) : null;
  }
  return evaluate(expression, context, budget);
}

function renderString(text: string, context: unknown, secrets: Secrets, budget: Budget): unknown {
  if (!isTemplate(text)) return text;
  const parsed = parseCached(text);
  if (parsed.unterminated) {
    throw new ExpressionError('syntax', 'Syntax error: "{{" without a matching "}}"', text, {
      offset: parsed.unterminated.offset,
    });
  }
  if (parsed.whole !== undefined) return evaluatePart(parsed.whole, context, secrets, budget);
  // The text is held to the string limit as it grows: a template repeating a 900,000-character
  // value a thousand times is refused at the second one, not after.
  let out = '';
  for (const part of parsed.parts) {
    const piece = typeof part === 'string' ? part : toText(evaluatePart(part.expression, context, secrets, budget), budget);
    budget.grow(out.length + piece.length, piece.length, 'a template');
    out += piece;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Renders every template string inside a JSON value (objects and arrays are walked, keys are
 * not templated), drawing on `budget` (a fresh one with the default limits when none is given).
 * Throws ExpressionError or BudgetExceededError located at the failing field's path.
 * A `secrets` key of the context (an executor step's resolved secrets) is taken out of what
 * expressions see: only a bare `{{ secrets.NAME }}` template reads it (see evaluatePart).
 */
export function renderTemplate(value: unknown, context: unknown, budget: Budget = new Budget()): unknown {
  if (isRecord(context) && Object.hasOwn(context, SECRETS_ROOT)) {
    const { [SECRETS_ROOT]: secrets, ...rest } = context;
    return renderValue(value, rest, [], isRecord(secrets) ? secrets : {}, budget);
  }
  return renderValue(value, context, [], undefined, budget);
}

// A plain recursive function rather than a closure: this runs for every config value of every
// step, and tsx (keepNames) makes each named closure allocation cost a defineProperty call.
function renderValue(value: unknown, context: unknown, path: (string | number)[], secrets: Secrets, budget: Budget): unknown {
  if (typeof value === 'string') {
    try {
      return renderString(value, context, secrets, budget);
    } catch (error) {
      throw error instanceof ExpressionError || error instanceof BudgetExceededError ? error.at(formatPath(path)) : error;
    }
  }
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let index = 0; index < value.length; index += 1) {
      path.push(index);
      out[index] = renderValue(value[index], context, path, secrets, budget);
      path.pop();
    }
    return out;
  }
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      path.push(key);
      const rendered = renderValue(value[key], context, path, secrets, budget);
      path.pop();
      // defineProperty, not assignment, so that a "__proto__" key stays a key.
      if (key === '__proto__') {
        Object.defineProperty(out, key, { value: rendered, enumerable: true, writable: true, configurable: true });
      } else {
        out[key] = rendered;
      }
    }
    return out;
  }
  return value;
}

/** One template found in a config value. */
export interface TemplateExpression {
  /** Where the string sits in the value, e.g. `headers.Authorization` ("" for the value itself). */
  path: string;
  expression: string;
  /** Where the expression starts in that string. */
  offset: number;
}

function visitStrings(
  value: unknown,
  visit: (text: string, path: string) => void,
  path: (string | number)[] = [],
): void {
  if (typeof value === 'string') {
    if (isTemplate(value)) visit(value, formatPath(path));
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => visitStrings(item, visit, [...path, index]));
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) visitStrings(item, visit, [...path, key]);
  }
}

/** Every well-formed template expression inside a JSON value, with the path of its string. */
export function templateExpressions(value: unknown): TemplateExpression[] {
  const found: TemplateExpression[] = [];
  visitStrings(value, (text, path) => {
    for (const part of parseCached(text).parts) {
      if (typeof part !== 'string') found.push({ path, ...part });
    }
  });
  return found;
}

/** A template problem found at publish time. */
export interface TemplateIssue {
  path: string;
  expression: string;
  kind: ExpressionErrorKind;
  message: string;
  /** Offset in the string at `path`, when known. */
  offset?: number;
}

/**
 * Checks every template inside a JSON value without evaluating it: unclosed `{{`, syntax,
 * unknown functions and wrong argument counts (see checkSyntax).
 */
export function checkTemplate(value: unknown): TemplateIssue[] {
  const issues: TemplateIssue[] = [];
  visitStrings(value, (text, path) => {
    const parsed = parseCached(text);
    for (const part of parsed.parts) {
      if (typeof part === 'string') continue;
      const check = checkSyntax(part.expression);
      if (!check.ok) {
        const offset = check.offset === undefined ? part.offset : part.offset + check.offset;
        issues.push({ path, expression: part.expression, kind: check.kind, message: check.message, offset });
      }
    }
    if (parsed.unterminated) {
      const { expression, offset } = parsed.unterminated;
      issues.push({ path, expression, kind: 'syntax', message: 'Syntax error: "{{" without a matching "}}"', offset });
    }
  });
  return issues;
}
