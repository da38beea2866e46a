// `npm run restore`: see packages/db/src/cli/restore.ts and docs/deploy.md ("Backups and restore").
import { existsSync } from 'node:fs';
import { prepare, runTs } from './lib/prepare.mjs';

if (!existsSync(new URL('../node_modules/.bin/tsx', import.meta.url))) prepare();
runTs('packages/db/src/cli/restore.ts', process.argv.slice(2));
