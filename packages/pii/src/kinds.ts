/** What a detector finds. `national_id`: US Social Security and UK National Insurance numbers. */
export const PII_KINDS = ['email', 'phone', 'card', 'iban', 'national_id'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

/** One finding in a text: `[start, end)` in UTF-16 code units, as `String.prototype.slice` takes them. */
export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
}

/** A detector: every finding of its kind in `text` (overlaps between kinds are settled by `findPii`). */
export type Detector = (text: string) => PiiMatch[];

/** Every match of a global regular expression, with the index range of group 0. */
export function* matchesOf(re: RegExp, text: string): Generator<RegExpExecArray> {
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    yield m;
    if (m[0].length === 0) re.lastIndex++;
  }
}
