/** What a masked secret is replaced with. */
export const SECRET_MASK = '[secret]';

/** Secrets shorter than this are not masked (masking "a" would shred every text); the API refuses them. */
export const MIN_MASKED_LENGTH = 4;

/**
 * The spellings a secret may take once a remote server or a library has handled it: as is,
 * JSON-escaped, URL- and form-encoded, hex, and base64/base64url at each of the 3 byte
 * alignments (so it is found inside a longer base64 text such as `base64("Bearer " + secret)`),
 * and the password of a secret that is a URL with credentials (SMTP URLs).
 */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_MASKED_LENGTH) return [];
  const forms = new Set<string>([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]);
  const bytes = Buffer.from(secret, 'utf8');
  forms.add(bytes.toString('hex'));
  for (let shift = 0; shift < 3; shift++) {
    const shifted = Buffer.concat([Buffer.alloc(shift), bytes]);
    // Characters that also encode the neighbouring bytes differ with the context: cut them off.
    const lead = Math.ceil((shift * 8) / 6);
    const total = shifted.length;
    const trail = total % 3 === 0 ? 0 : 1;
    for (const encoding of ['base64', 'base64url'] as const) {
      const text = shifted.toString(encoding).replace(/=+$/, '');
      if (shift === 0) forms.add(shifted.toString(encoding));
      const core = text.slice(lead, text.length - trail);
      if (core.length >= 6) forms.add(core);
    }
  }
  try {
    const url = new URL(secret);
    if (url.password.length >= MIN_MASKED_LENGTH) {
      forms.add(url.password);
      forms.add(decodeURIComponent(url.password));
    }
  } catch {
    /* not a URL */
  }
  return [...forms].filter((f) => f.length >= MIN_MASKED_LENGTH);
}

/** Masks a fixed set of secret values (all their forms) in text and in JSON values. */
export class SecretMasker {
  private readonly forms: string[];

  constructor(readonly secrets: readonly string[]) {
    // Longest first, so a form is never half-replaced by a shorter one it contains.
    this.forms = [...new Set(secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  }

  get empty(): boolean {
    return this.forms.length === 0;
  }

  /** Whether text holds any form of any secret. */
  contains(text: string): boolean {
    return this.forms.some((f) => text.includes(f));
  }

  maskText(text: string): string {
    let out = text;
    for (const form of this.forms) if (out.includes(form)) out = out.split(form).join(SECRET_MASK);
    return out;
  }

  /**
   * A copy of a JSON-like value with every string (keys too) masked; Errors become plain objects.
   * Walked with an explicit stack, so no depth is too deep (there is no limit to slip a value
   * under); an object met twice (shared or in a cycle) is copied once and referenced again.
   */
  mask<T>(value: T): T {
    if (this.empty) return value;
    if (!isContainer(value)) return this.leaf(value) as T;
    const copies = new Map<object, unknown>();
    const todo: [from: object, into: Record<string, unknown> | unknown[]][] = [];
    const copyOf = (v: unknown): unknown => {
      if (!isContainer(v)) return this.leaf(v);
      const seen = copies.get(v);
      if (seen !== undefined) return seen;
      if (v instanceof Error) {
        const e = v as Error & { code?: unknown };
        const plain = { type: e.name, message: this.maskText(e.message), ...(e.stack ? { stack: this.maskText(e.stack) } : {}), ...(e.code !== undefined ? { code: e.code } : {}) };
        copies.set(v, plain);
        return plain;
      }
      const into: Record<string, unknown> | unknown[] = Array.isArray(v) ? new Array<unknown>(v.length) : {};
      copies.set(v, into);
      todo.push([v, into]);
      return into;
    };
    const root = copyOf(value);
    while (todo.length > 0) {
      const [from, into] = todo.pop()!;
      if (Array.isArray(from)) {
        const out = into as unknown[];
        for (let i = 0; i < from.length; i++) out[i] = copyOf(from[i]);
      } else {
        // defineProperty, not assignment: a "__proto__" key stays a key.
        for (const [k, v] of Object.entries(from)) Object.defineProperty(into, this.maskText(k), { value: copyOf(v), enumerable: true, writable: true, configurable: true });
      }
    }
    return root as T;
  }

  /** A value that is not walked into: strings are masked, the rest is kept as is. */
  private leaf(value: unknown): unknown {
    return typeof value === 'string' ? this.maskText(value) : value;
  }
}

/** Objects and arrays the masker walks into (Buffers and Dates are kept as they are). */
function isContainer(value: unknown): value is object {
  return value !== null && typeof value === 'object' && !Buffer.isBuffer(value) && !(value instanceof Date);
}

/** Replaces every occurrence of the given secret values (and their encoded forms) in a string. */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  return new SecretMasker(secrets).maskText(text);
}

/*
 * Secrets in use in this process right now (resolved for running steps). Every logger made by
 * createLogger masks them in every line it writes, whoever logs, so a processor or library that
 * logs a request cannot leak them.
 */
const active = new Map<string, number>();
let activeMasker = new SecretMasker([]);

/** Registers resolved secret values for log masking; call the returned function when the step ends. */
export function registerActiveSecrets(values: readonly string[]): () => void {
  const added = values.filter((v) => v.length >= MIN_MASKED_LENGTH);
  if (added.length === 0) return () => undefined;
  for (const v of added) active.set(v, (active.get(v) ?? 0) + 1);
  activeMasker = new SecretMasker([...active.keys()]);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const v of added) {
      const n = (active.get(v) ?? 1) - 1;
      if (n <= 0) active.delete(v);
      else active.set(v, n);
    }
    activeMasker = new SecretMasker([...active.keys()]);
  };
}

/** The masker of the secrets active in this process. */
export const activeSecretMasker = (): SecretMasker => activeMasker;
