// `npm run restore -- <file> [--database-url <url>]`: restores a backup of `npm run backup` into a
// new or empty database (default DATABASE_URL), applies newer migrations, checks the row counts,
// and says which KEK ids the backup's secrets need that WEFT_KEKS lacks.
import { parseArgs } from 'node:util';
import { restoreDatabase } from '../backup/restore';
import { migrateEnv, keyIdsEnv } from './env';

const { values, positionals } = parseArgs({ options: { 'database-url': { type: 'string' } }, allowPositionals: true });
const file = positionals[0];
if (!file) {
  console.error('usage: npm run restore -- <backup file> [--database-url <url>]');
  process.exit(2);
}
const env = migrateEnv();
const url = values['database-url'] ?? env.databaseUrl ?? 'postgresql://postgres@127.0.0.1:5432/weft';
try {
  const r = await restoreDatabase(file, url, { availableKekIds: keyIdsEnv(), searchPath: env.path });
  console.log(`restore: ${file} → ${r.database} in ${r.ms} ms: ${r.counts.runs} runs, ${r.counts.secrets} secrets${r.applied.length ? `; then applied ${r.applied.join(', ')}` : ''}`);
  if (!r.rlsRoles) console.error('restore: this cluster has no roles weft_app / weft_maintenance: restored without their grants, so the services run with row-level security off (README "Row-level security")');
  if (r.missingKekIds.length) {
    console.error(`restore: WARNING: WEFT_KEKS lacks the key ids ${r.missingKekIds.join(', ')}: the secrets they wrap cannot be decrypted until those keys are configured`);
    process.exit(3);
  }
} catch (error) {
  console.error(`restore: failed: ${(error as Error).message}`);
  process.exit(1);
}
