/**
 * ECMAScript → RE2 syntax, keeping ECMAScript's meaning.
 *
 * JSON Schema patterns are ECMAScript regular expressions (Ajv compiles them with the `u` flag).
 * RE2 reads most of that syntax the same way, but not all of it: `.` and `\s` mean less in RE2
 * (`.` also matches `\r`, `\u2028`, `\u2029`; `\s` is ASCII only), `\uXXXX` is spelled `\x{XXXX}`,
 * `[]` and `[^]` mean something else or nothing, and a `[` inside a class starts a POSIX class. So
 * the pattern is rewritten atom by atom, every literal other than a letter or digit spelled
 * `\x{…}`, so that nothing is left for RE2 to read differently. Features RE2 cannot run in linear
 * time (lookaround, backreferences) are refused here with a reason in plain words.
 *
 * The input must already be a valid ECMAScript pattern in `u` mode (`compileLinear` checks): that
 * grammar is strict (no stray `{`, no unknown escapes), which keeps this scanner small.
 */

/** A pattern the linear-time engine cannot run; the message says why, in plain words. */
export class UnsupportedPattern extends Error {
  override readonly name = 'UnsupportedPattern';
}

type Ranges = readonly (readonly [number, number])[];

/** ECMAScript's WhiteSpace and LineTerminator code points: what `\s` matches. */
const WHITE_SPACE: Ranges = [[0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff]];
/** What `.` does not match without the `s` flag. */
const LINE_TERMINATORS: Ranges = [[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]];
const MAX_CODE_POINT = 0x10ffff;

/** ECMAScript's long General_Category names (and aliases) → the short ones RE2 knows. */
const CATEGORY_ALIASES: Record<string, string> = {
  Letter: 'L', Cased_Letter: 'LC', Uppercase_Letter: 'Lu', Lowercase_Letter: 'Ll', Titlecase_Letter: 'Lt', Modifier_Letter: 'Lm', Other_Letter: 'Lo',
  Mark: 'M', Combining_Mark: 'M', Nonspacing_Mark: 'Mn', Spacing_Mark: 'Mc', Enclosing_Mark: 'Me',
  Number: 'N', Decimal_Number: 'Nd', digit: 'Nd', Letter_Number: 'Nl', Other_Number: 'No',
  Punctuation: 'P', punct: 'P', Connector_Punctuation: 'Pc', Dash_Punctuation: 'Pd', Open_Punctuation: 'Ps', Close_Punctuation: 'Pe',
  Initial_Punctuation: 'Pi', Final_Punctuation: 'Pf', Other_Punctuation: 'Po',
  Symbol: 'S', Math_Symbol: 'Sm', Currency_Symbol: 'Sc', Modifier_Symbol: 'Sk', Other_Symbol: 'So',
  Separator: 'Z', Space_Separator: 'Zs', Line_Separator: 'Zl', Paragraph_Separator: 'Zp',
  Other: 'C', Control: 'Cc', cntrl: 'Cc', Format: 'Cf', Surrogate: 'Cs', Private_Use: 'Co', Unassigned: 'Cn',
};

const hex = (cp: number) => `\\x{${cp.toString(16).toUpperCase()}}`;
/** A literal: letters and digits as they are (readable in RE2's messages), anything else by code point. */
const literal = (cp: number) => (/[A-Za-z0-9_]/.test(String.fromCodePoint(cp)) && cp < 0x80 ? String.fromCodePoint(cp) : hex(cp));
const spell = (ranges: Ranges) => ranges.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('');

function complement(ranges: Ranges): Ranges {
  const out: [number, number][] = [];
  let next = 0;
  for (const [a, b] of ranges) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= MAX_CODE_POINT) out.push([next, MAX_CODE_POINT]);
  return out;
}

const NOT_WHITE_SPACE = complement(WHITE_SPACE);
const isHex = (s: string) => /^[0-9a-fA-F]+$/.test(s);

/** One atom of a character class: a single code point (can end a range) or a set spelled for RE2. */
type ClassAtom = { cp: number } | { set: string };

/** Rewrites a valid ECMAScript (`u` mode) pattern into RE2 syntax with the same matches. */
export function toRe2(pattern: string): string {
  return new Scanner(pattern).translate();
}

class Scanner {
  private i = 0;

  constructor(private readonly p: string) {}

  translate(): string {
    let out = '';
    const { p } = this;
    while (this.i < p.length) {
      const c = p[this.i]!;
      if (c === '\\') {
        const atom = this.escape(false);
        out += 'cp' in atom ? literal(atom.cp) : atom.set;
      } else if (c === '[') {
        out += this.charClass();
      } else if (c === '(') {
        out += this.group();
      } else if (c === '.') {
        this.i++;
        out += `[^${spell(LINE_TERMINATORS)}]`;
      } else if (c === '{') {
        // A quantifier ({n}, {n,}, {n,m}): the u-mode grammar allows no other `{`.
        const end = this.closing('}');
        out += p.slice(this.i, end + 1);
        this.i = end + 1;
      } else if ('|)^$*+?'.includes(c)) {
        this.i++;
        out += c;
      } else {
        out += literal(this.codePoint());
      }
    }
    return out === '' ? '(?:)' : out;
  }

  /** Index of the `ch` that closes what starts at `this.i` (the u-mode grammar guarantees one). */
  private closing(ch: string): number {
    const at = this.p.indexOf(ch, this.i);
    if (at < 0) throw new UnsupportedPattern(`pattern misses a closing ${ch}`);
    return at;
  }

  private codePoint(): number {
    const cp = this.p.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private group(): string {
    const rest = this.p.slice(this.i, this.i + 4);
    if (rest.startsWith('(?=') || rest.startsWith('(?!')) throw new UnsupportedPattern('pattern uses a lookahead, which the linear-time engine does not support');
    if (rest.startsWith('(?<=') || rest.startsWith('(?<!')) throw new UnsupportedPattern('pattern uses a lookbehind, which the linear-time engine does not support');
    if (rest.startsWith('(?:')) {
      this.i += 3;
      return '(?:';
    }
    if (rest.startsWith('(?<')) {
      // A named group: names only matter to backreferences and match results, neither of which is used.
      this.i = this.closing('>') + 1;
      return '(';
    }
    this.i++;
    return '(';
  }

  private charClass(): string {
    const { p } = this;
    this.i++;
    const negated = p[this.i] === '^';
    if (negated) this.i++;
    const items: string[] = [];
    while (p[this.i] !== ']') {
      if (this.i >= p.length) throw new UnsupportedPattern('pattern has an unterminated character class');
      const from = this.classAtom();
      if (p[this.i] === '-' && p[this.i + 1] !== ']' && 'cp' in from) {
        this.i++;
        const to = this.classAtom();
        if (!('cp' in to)) throw new UnsupportedPattern('pattern has a character class range that ends in a set');
        items.push(`${literal(from.cp)}-${literal(to.cp)}`);
      } else {
        items.push('cp' in from ? literal(from.cp) : from.set);
      }
    }
    this.i++;
    // ECMAScript's `[]` matches nothing and `[^]` any character; RE2 reads both differently.
    if (items.length === 0) return negated ? `[${spell([[0, MAX_CODE_POINT]])}]` : `[^${spell([[0, MAX_CODE_POINT]])}]`;
    return `[${negated ? '^' : ''}${items.join('')}]`;
  }

  private classAtom(): ClassAtom {
    return this.p[this.i] === '\\' ? this.escape(true) : { cp: this.codePoint() };
  }

  /** An escape sequence, `\` at `this.i`; sets are spelled to go inside a class when `inClass`. */
  private escape(inClass: boolean): ClassAtom {
    const { p } = this;
    const e = p[this.i + 1];
    this.i += 2;
    const set = (ranges: Ranges) => ({ set: inClass ? spell(ranges) : `[${spell(ranges)}]` });
    switch (e) {
      case 'd': case 'D': case 'w': case 'W':
        return { set: `\\${e}` }; // ASCII in both engines (no `i` flag)
      case 'b':
        return inClass ? { cp: 0x08 } : { set: '\\b' };
      case 'B':
        return { set: '\\B' };
      case 's':
        return set(WHITE_SPACE);
      case 'S':
        return set(NOT_WHITE_SPACE);
      case 'f': return { cp: 0x0c };
      case 'n': return { cp: 0x0a };
      case 'r': return { cp: 0x0d };
      case 't': return { cp: 0x09 };
      case 'v': return { cp: 0x0b };
      case '0': return { cp: 0 };
      case 'c':
        return { cp: p.charCodeAt(this.i++) % 32 };
      case 'x': {
        const cp = parseInt(p.slice(this.i, this.i + 2), 16);
        this.i += 2;
        return { cp };
      }
      case 'u':
        return { cp: this.unicodeEscape() };
      case 'p':
      case 'P':
        return { set: this.property(e) };
      case 'k':
        throw new UnsupportedPattern('pattern uses a backreference (\\k<name>), which the linear-time engine does not support');
      case undefined:
        throw new UnsupportedPattern('pattern ends with a lone backslash');
      default:
        if (e >= '1' && e <= '9') throw new UnsupportedPattern(`pattern uses a backreference (\\${e}), which the linear-time engine does not support`);
        // An escaped syntax character (`\.`, `\/`, `\-` in a class…): the character itself.
        this.i--;
        return { cp: this.codePoint() };
    }
  }

  /** `\uXXXX`, `\u{X…}`, or a surrogate pair written as two `\uXXXX` (one code point in u mode). */
  private unicodeEscape(): number {
    const { p } = this;
    if (p[this.i] === '{') {
      const end = this.closing('}');
      const cp = parseInt(p.slice(this.i + 1, end), 16);
      this.i = end + 1;
      return cp;
    }
    const cp = parseInt(p.slice(this.i, this.i + 4), 16);
    this.i += 4;
    const low = p.slice(this.i + 2, this.i + 6);
    if (cp >= 0xd800 && cp <= 0xdbff && p.startsWith('\\u', this.i) && isHex(low) && low.length === 4) {
      const lo = parseInt(low, 16);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        this.i += 6;
        return 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
      }
    }
    return cp;
  }

  /** `\p{…}` / `\P{…}`: ECMAScript's spellings of categories and scripts → RE2's. */
  private property(kind: 'p' | 'P'): string {
    const { p } = this;
    const end = this.closing('}');
    const body = p.slice(this.i + 1, end);
    this.i = end + 1;
    const [name, value] = body.includes('=') ? body.split('=') as [string, string] : [undefined, body];
    if (name === 'Script_Extensions' || name === 'scx') {
      throw new UnsupportedPattern(`pattern uses \\${kind}{${body}}: Script_Extensions is not supported by the linear-time engine (use Script=…)`);
    }
    const short = name === 'Script' || name === 'sc' ? value : (CATEGORY_ALIASES[value] ?? value);
    return `\\${kind}{${short}}`;
  }
}
