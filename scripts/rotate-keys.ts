// `npm run rotate-keys`: re-wraps every envelope's data key (every table of @weft/crypto's
// ENVELOPE_TABLES: secrets, webhook signing secrets, alert channels, OAuth connections) under WEFT_KEK_CURRENT, in batches,
// without touching a ciphertext. Safe while the platform runs (see README "Rotating the
// key-encryption key"). Reads DATABASE_URL, WEFT_KEKS and WEFT_KEK_CURRENT (the same values the
// services use); exits 1 if any row is left under another KEK.
import { baseEnv, int, parseEnv } from '@weft/config';
import { checkKeyringEnv, keyringEnv, keyringFromEnv, rotateAllEnvelopes } from '@weft/crypto';
import pg from 'pg';
import { z } from 'zod';

const EnvSchema = z
  .object({
    DATABASE_URL: baseEnv.DATABASE_URL,
    ...keyringEnv,
    /** Rows re-wrapped per statement. */
    WEFT_ROTATE_BATCH_SIZE: int(100),
    /** Pause between batches (ms), to spare a busy database. */
    WEFT_ROTATE_PAUSE_MS: int(0),
  })
  .superRefine(checkKeyringEnv);

async function main(): Promise<number> {
  const env = parseEnv(EnvSchema);
  const keyring = keyringFromEnv(env);
  if (!keyring) {
    console.error('✖ WEFT_KEKS and WEFT_KEK_CURRENT must be set (the same values the gateway and executor use).');
    return 1;
  }
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 2 });
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  try {
    console.log(`• Re-wrapping data keys under KEK "${keyring.currentId}" (configured: ${keyring.ids().join(', ')})`);
    const started = Date.now();
    const result = await rotateAllEnvelopes(pool, keyring, {
      batchSize: env.WEFT_ROTATE_BATCH_SIZE,
      pauseMs: env.WEFT_ROTATE_PAUSE_MS,
      signal: abort.signal,
      onBatch: (p) => console.log(`  ${p.table}: ${p.rewrapped} re-wrapped, ${p.raced} changed meanwhile, ${p.failed} failed (${p.scanned} seen)`),
    });
    for (const f of result.failures) console.error(`  ✖ ${f.table} row ${f.id} (KEK "${f.kekId}"): ${f.code}`);
    console.log(`• Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.rewrapped} re-wrapped; rows per KEK now ${JSON.stringify(result.byKek)} (${Object.keys(result.tables).join(', ')})`);
    if (result.remaining > 0) {
      console.error(`✖ ${result.remaining} row(s) are still under another KEK: keep the old KEKs configured, fix the failures above and run again.`);
      return 1;
    }
    const old = keyring.ids().filter((id) => id !== keyring.currentId);
    console.log(`✔ Every data key is under "${keyring.currentId}".${old.length ? ` ${old.join(', ')} can now be removed from WEFT_KEKS.` : ''}`);
    return 0;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`✖ ${(err as Error).message}`);
    process.exit(1);
  },
);
