/*
 * String functions re-implemented in linear time with the results of @jmespath-community/jmespath
 * 1.3 (checked against it by a property test): its trim_right and trim build the regular
 * expression (.*?)[chars]*$, which backtracks quadratically on a long run of trimmed characters
 * followed by one that is not (1,000,000 spaces and an "x": 10^12 steps); its replace with a count
 * first allocates an array of `count` entries; its split with a count splits everything first.
 */

/** The characters `trim` removes by default: JavaScript's \s and U+0085, as the library's pattern has them. */
const DEFAULT_TRIMMED = /[\s\x85]/;

function trimmedTest(chars: string | undefined): (unit: string) => boolean {
  if (!chars) return (unit) => DEFAULT_TRIMMED.test(unit);
  // The library puts `chars` in a character class: a set of UTF-16 code units.
  const set = new Set(chars.split(''));
  return (unit) => set.has(unit);
}

export function trimLeft(subject: string, chars?: string): string {
  const trimmed = trimmedTest(chars);
  let start = 0;
  while (start < subject.length && trimmed(subject[start]!)) start++;
  return subject.slice(start);
}

export function trimRight(subject: string, chars?: string): string {
  const trimmed = trimmedTest(chars);
  let end = subject.length;
  while (end > 0 && trimmed(subject[end - 1]!)) end--;
  return subject.slice(0, end);
}

export const trim = (subject: string, chars?: string): string => trimLeft(trimRight(subject, chars), chars);

/** Calls `found` with each position where `separator` (non-empty) occurs in `subject`, left to right, not overlapping, as split finds them; stops when it returns false. */
export function eachOccurrence(subject: string, separator: string, found: (at: number) => boolean | void): void {
  for (let at = subject.indexOf(separator); at >= 0; at = subject.indexOf(separator, at + separator.length)) {
    if (found(at) === false) return;
  }
}

/**
 * Length of what `String.prototype.replace(string, by)` inserts for a match at `at` of
 * `matched` characters: `by` with its $ patterns ($$, $&, $`, $') expanded. With a string
 * pattern there are no groups, so `$1` and `$<` stay as they are.
 */
export function substitutionLength(by: string, subject: string, at: number, matched: number): number {
  let length = 0;
  for (let i = 0; i < by.length; i++) {
    if (by[i] !== '$' || i + 1 >= by.length) {
      length++;
      continue;
    }
    const next = by[i + 1];
    if (next === '$') length += 1;
    else if (next === '&') length += matched;
    else if (next === '`') length += at;
    else if (next === "'") length += subject.length - at - matched;
    else {
      length++; // a lone "$": itself; the next character is read on its own
      continue;
    }
    i++;
  }
  return length;
}

/** The error the library throws for a count that is not a non-negative integer. */
export function ensureCount(count: number): void {
  if (typeof count !== 'number' || count < 0 || Math.floor(count) !== count) throw new Error('invalid-value: expecting a non-negative integer.');
}

const isHigh = (unit: number) => (unit & 0xfc00) === 0xd800;
const isLow = (unit: number) => (unit & 0xfc00) === 0xdc00;

/**
 * Compares strings by code points without building arrays of them, returning what the library's
 * Text comparer returns: 1 or -1, and -1 for equal strings. `charged` learns how many code
 * units were compared in JavaScript (the work, for the budget).
 */
export function compareCodePoints(a: string, b: string, charged: (units: number) => void): number {
  if (a === b) {
    charged(0);
    return -1;
  }
  const shorter = Math.min(a.length, b.length);
  let k = 0;
  while (k < shorter && a.charCodeAt(k) === b.charCodeAt(k)) k++;
  charged(k);
  // One is a prefix of the other: the longer one has more code points too.
  if (k === shorter) return a.length > b.length ? 1 : -1;
  // Units and code points order alike except across a surrogate pair: compare the characters
  // that start where the strings part, one unit earlier when the common unit before is a high
  // surrogate that pairs with what follows in either string.
  const pairs = k > 0 && isHigh(a.charCodeAt(k - 1)) && (isLow(a.charCodeAt(k)) || isLow(b.charCodeAt(k)));
  const at = pairs ? k - 1 : k;
  return a.codePointAt(at)! - b.codePointAt(at)! > 0 ? 1 : -1;
}
