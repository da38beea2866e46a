import { ExpressionError } from './errors';

/*
 * A pre-pass over an expression before it reaches @jmespath-community/jmespath, whose lexer
 * deviates from the original JMESPath specification (the one Weft promises, and whose
 * compliance suite we run) in a few places. Rather than fork the library, we re-spell the
 * affected tokens so the library reads them the way the specification does:
 *
 * 1. Raw string literals. The spec (and its compliance case `'\\'` -> two backslashes) only
 *    unescapes `\'`; every other backslash is kept verbatim. The library also turns `\\` into
 *    `\`. We decode per the spec and re-encode for the library (`\` -> `\\`, `'` -> `\'`).
 * 2. An unterminated raw string (`'abc`) is a syntax error in the spec; the library accepts it.
 * 3. JSON literals. The library unescapes only the first `` \` `` of a literal, and rejects
 *    valid JSON with trailing whitespace (`` `true ` ``). We unescape every `` \` ``, validate
 *    the JSON ourselves (so the error has an offset), trim it, and spell backticks `\u0060`.
 * 4. Numbers. The library's number lexer swallows `-` after digits (`a[1-1]` reads as `a[1]`).
 *    A number is `-?[0-9]+`; we separate a following `-` with a space so it lexes on its own.
 * 5. Unknown characters and unterminated quoted identifiers are reported with their offset.
 *
 * Everything else is passed through unchanged, including the JMESPath Community extensions
 * the library supports ($ root, let, arithmetic, ternary, extra functions).
 */

// Single characters the library lexes as (part of) a token, besides the ones handled below.
const PUNCTUATION = new Set([...'()*,.:@[]{}+%?\u2212\u00d7\u00f7!<>=&|/$-']);
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const TOKEN_NAMES: Record<string, string> = { '"': 'quoted identifier', "'": 'raw string', '`': 'JSON literal' };
const JSON_WHITESPACE_EDGES = /^[ \t\n\r]+|[ \t\n\r]+$/g;

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';
const isIdentifierStart = (ch: string): boolean =>
  (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_';
const isIdentifierPart = (ch: string | undefined): boolean =>
  ch !== undefined && (isIdentifierStart(ch) || isDigit(ch));

/**
 * Index of the closing `quote` of a delimited token opened at `start`, or -1 when it is not
 * closed. A backslash always escapes the next character (as in the spec's reference lexer).
 */
export function closingQuote(expression: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < expression.length) {
    const ch = expression[i];
    if (ch === '\\') i += 2;
    else if (ch === quote) return i;
    else i += 1;
  }
  return -1;
}

/** Re-spells a raw string body (between the quotes) so the library decodes it per the spec. */
function rawString(body: string): string {
  let out = "'";
  for (let i = 0; i < body.length; i += 1) {
    const ch = body[i] as string;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[i + 1] as string; // present: a body never ends in a lone backslash
    i += 1;
    // Spec: `\'` is a quote, any other `\x` stays as the two characters `\x`.
    out += next === "'" ? "\\'" : next === '\\' ? '\\\\\\\\' : `\\\\${next}`;
  }
  return `${out}'`;
}

/** Validates and re-spells a JSON literal body (between the backticks). */
function jsonLiteral(body: string, expression: string, offset: number): string {
  const json = body.replaceAll('\\`', '`');
  try {
    JSON.parse(json);
  } catch {
    throw new ExpressionError('syntax', `Syntax error: invalid JSON literal \`${body}\``, expression, {
      offset,
    });
  }
  // In valid JSON a backtick can only sit inside a string, where `\u0060` means the same.
  return `\`${json.replace(JSON_WHITESPACE_EDGES, '').replaceAll('`', '\\u0060')}\``;
}

/**
 * Rewrites `expression` so that @jmespath-community/jmespath lexes it as the original JMESPath
 * specification does; throws a syntax ExpressionError (with offset) on lexical errors.
 */
export function normalizeExpression(expression: string): string {
  let out = '';
  let i = 0;
  const fail = (message: string, offset: number): never => {
    throw new ExpressionError('syntax', `Syntax error: ${message}`, expression, { offset });
  };
  while (i < expression.length) {
    const ch = expression[i] as string;
    if (ch === '"' || ch === "'" || ch === '`') {
      const end = closingQuote(expression, i, ch);
      if (end < 0) fail(`unterminated ${TOKEN_NAMES[ch]}`, i);
      const body = expression.slice(i + 1, end);
      if (ch === '"') out += expression.slice(i, end + 1);
      else if (ch === "'") out += rawString(body);
      else out += jsonLiteral(body, expression, i);
      i = end + 1;
    } else if (isIdentifierStart(ch)) {
      const start = i;
      while (isIdentifierPart(expression[i])) i += 1;
      out += expression.slice(start, i);
    } else if (isDigit(ch) || (ch === '-' && isDigit(expression[i + 1]))) {
      const start = i;
      i += 1;
      while (isDigit(expression[i])) i += 1;
      out += expression.slice(start, i);
      if (expression[i] === '-') out += ' ';
    } else if (PUNCTUATION.has(ch) || WHITESPACE.has(ch)) {
      out += ch;
      i += 1;
    } else {
      fail(`unknown character ${JSON.stringify(ch)}`, i);
    }
  }
  return out;
}
