// `node dist/migrate.mjs` in a production image (or `tsx packages/db/src/cli/migrate.ts`): creates
// the database of DATABASE_URL when it is missing, applies the pending migrations, prints what it
// applied. Run it once per deploy before the new services start (docs/deploy.md, "Migration order").
import { ensureDatabase, migrate, MigrationError } from '../migrate';
import { migrateEnv } from './env';

const url = migrateEnv().databaseUrl;
if (!url) {
  console.error('migrate: DATABASE_URL is not set');
  process.exit(2);
}
try {
  if (await ensureDatabase(url)) console.log(`migrate: created database ${new URL(url).pathname.slice(1)}`);
  const { applied } = await migrate(url);
  console.log(applied.length ? `migrate: applied ${applied.join(', ')}` : 'migrate: the schema is up to date');
} catch (error) {
  const code = error instanceof MigrationError ? ` (${error.code})` : '';
  console.error(`migrate: failed${code}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
