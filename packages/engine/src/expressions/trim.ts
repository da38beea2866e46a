/**
 * `trim`, `trim_left`, `trim_right` without regular expressions.
 *
 * The library builds `new RegExp(\`(.*?)[${chars}]*$\`)` from the user's characters: for a string
 * of n trimmable characters followed by one that is not, every start of the lazy group rescans the
 * run, so `trim_right` takes time quadratic in the input (16,000 characters: 0.25 s; a megabyte:
 * hours, on the orchestrator's main thread). These loops give the same results (the characters
 * are UTF-16 code units, as in the library's non-Unicode class) in linear time.
 */

// What the library trims by default: ECMAScript's `\s` (WhiteSpace and LineTerminator) and U+0085.
const DEFAULT_SET = new Set(Array.from('\t\n\v\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff', (c) => c.charCodeAt(0)));

function codeUnits(chars: string | undefined): Set<number> {
  if (!chars) return DEFAULT_SET; // the library treats '' like no argument
  const set = new Set<number>();
  for (let i = 0; i < chars.length; i++) set.add(chars.charCodeAt(i));
  return set;
}

function trimLeft(subject: string, chars?: string): string {
  const set = codeUnits(chars);
  let start = 0;
  while (start < subject.length && set.has(subject.charCodeAt(start))) start++;
  return subject.slice(start);
}

function trimRight(subject: string, chars?: string): string {
  const set = codeUnits(chars);
  let end = subject.length;
  while (end > 0 && set.has(subject.charCodeAt(end - 1))) end--;
  return subject.slice(0, end);
}

const trim = (subject: string, chars?: string) => trimLeft(trimRight(subject, chars), chars);

type FunctionTable = Record<string, { _func: (args: never) => unknown }>;

/** Replaces the library's regex-based trim functions in an interpreter's function table (same signatures). */
export function useLinearTrim(table: FunctionTable): void {
  for (const [name, fn] of [['trim', trim], ['trim_left', trimLeft], ['trim_right', trimRight]] as const) {
    const entry = table[name];
    if (!entry) throw new Error(`the JMESPath library has no ${name}() to replace`);
    table[name] = { ...entry, _func: (args: [string, string?]) => fn(args[0], args[1]) };
  }
}
