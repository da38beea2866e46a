// `npm run backup -- [--out <file>]`: dumps DATABASE_URL (pg_dump custom format) with a manifest
// beside it (<file>.json: migrations, the KEK ids its secrets need, row counts). Never a key.
import { parseArgs } from 'node:util';
import { backupDatabase } from '../backup/backup';
import { migrateEnv } from './env';

const { values } = parseArgs({ options: { out: { type: 'string' } } });
const env = migrateEnv();
const url = env.databaseUrl ?? 'postgresql://postgres@127.0.0.1:5432/weft';
const out = values.out ?? `backups/weft-${new Date().toISOString().replace(/[:.]/g, '-')}.dump`;
try {
  const m = await backupDatabase(url, out, env.path);
  console.log(`backup: ${out} (${(m.bytes / 1024).toFixed(0)} KiB in ${m.ms} ms): ${m.counts.runs} runs, ${m.counts.secrets} secrets; needs KEK ids ${m.kekIds.join(', ') || '(none)'}`);
  console.log(`backup: manifest ${out}.json; keep the KEKs (WEFT_KEKS) apart from the backups`);
} catch (error) {
  console.error(`backup: failed: ${(error as Error).message}`);
  process.exit(1);
}
