import type { Db } from '@weft/db';
import { keyPatterns } from '@weft/testing';
import { Redis } from 'ioredis';

/**
 * Spellings to look for, computed here independently of the masker under test: the value, its
 * JSON-escaped, URL-encoded and form-encoded forms, and base64/base64url at each alignment
 * (the characters that do not depend on neighbouring bytes).
 */
export function leakForms(secret: string): string[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]);
  for (const pad of ['', 'x', 'xy']) {
    for (const enc of ['base64', 'base64url'] as const) {
      const b64 = Buffer.from(pad + secret).toString(enc).replace(/=+$/, '');
      const skip = pad.length === 0 ? 0 : pad.length === 1 ? 2 : 3;
      forms.add(b64.slice(skip, b64.length - 1));
    }
  }
  return [...forms].filter((f) => f.length >= 6);
}

/**
 * leakForms of the value and of the copies a template function could make of it (reversed,
 * upper- and lower-cased), so a scan also catches a secret that was reshaped before it was kept.
 */
export function allLeakForms(secret: string): string[] {
  const reshaped = [secret, [...secret].reverse().join(''), secret.toUpperCase(), secret.toLowerCase()];
  return [...new Set(reshaped.flatMap(leakForms))];
}

export interface Leak {
  where: string;
  form: string;
}

/** Every text/json/bytea (and any other) column of every table, searched for every form. */
export async function scanPostgres(db: Db, forms: string[]): Promise<{ leaks: Leak[]; columns: number }> {
  const { rows: columns } = await db.pool.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
     JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
     WHERE c.table_schema = 'public' ORDER BY c.table_name, c.ordinal_position`,
  );
  const leaks: Leak[] = [];
  for (const c of columns) {
    const col = `"${c.column_name}"`;
    const test = c.data_type === 'bytea' ? `position(convert_to(f, 'UTF8') in t.${col}) > 0` : `strpos(t.${col}::text, f) > 0`;
    const { rows } = await db.pool.query<{ f: string }>(
      `SELECT f FROM unnest($1::text[]) AS f WHERE EXISTS (SELECT 1 FROM "${c.table_name}" t WHERE ${test})`,
      [forms],
    );
    for (const r of rows) leaks.push({ where: `${c.table_name}.${c.column_name}`, form: r.f });
  }
  return { leaks, columns: columns.length };
}

/** Every key of the platform with this prefix (its queues' hash-tagged keys too), whatever its type (string, hash, list, set, zset, stream). */
export async function scanRedis(url: string, prefix: string, forms: string[]): Promise<{ leaks: Leak[]; keys: number }> {
  const r = new Redis(url, { maxRetriesPerRequest: 1 });
  const needles = forms.map((f) => Buffer.from(f));
  const leaks: Leak[] = [];
  let keys = 0;
  try {
    for (const match of keyPatterns(prefix)) {
      let cursor = '0';
      do {
        const [next, batch] = await r.scan(cursor, 'MATCH', match, 'COUNT', 1000);
        cursor = next;
        for (const key of batch) {
          keys++;
          const type = await r.type(key);
          let parts: Buffer[] = [];
          if (type === 'string') parts = [(await r.getBuffer(key)) ?? Buffer.alloc(0)];
          else if (type === 'hash') parts = await r.hgetallBuffer(key).then((h) => Object.entries(h).flatMap(([k, v]) => [Buffer.from(k), v]));
          else if (type === 'list') parts = await r.lrangeBuffer(key, 0, -1);
          else if (type === 'set') parts = await r.smembersBuffer(key);
          else if (type === 'zset') parts = await r.zrangeBuffer(key, 0, -1);
          else if (type === 'stream') {
            const entries = (await r.xrangeBuffer(key, '-', '+')) as unknown as [Buffer, Buffer[]][];
            parts = entries.flatMap(([id, fields]) => [id, ...fields]);
          }
          for (const part of parts) {
            needles.forEach((n, i) => {
              if (part.includes(n)) leaks.push({ where: `redis ${type} ${key}`, form: forms[i]! });
            });
          }
        }
      } while (cursor !== '0');
    }
  } finally {
    r.disconnect();
  }
  return { leaks, keys };
}

/** Captures every message published on the platform's channels (live events, cancel notices). */
export async function capturePubSub(url: string, prefix: string): Promise<{ messages: string[]; close(): void }> {
  const sub = new Redis(url, { maxRetriesPerRequest: 1 });
  const messages: string[] = [];
  sub.on('pmessage', (_pattern: string, channel: string, message: string) => messages.push(`${channel} ${message}`));
  await sub.psubscribe(`${prefix}*`);
  return { messages, close: () => sub.disconnect() };
}

export function scanText(where: string, texts: readonly string[], forms: string[]): Leak[] {
  const leaks: Leak[] = [];
  for (const t of texts) for (const f of forms) if (t.includes(f)) leaks.push({ where, form: f });
  return leaks;
}
