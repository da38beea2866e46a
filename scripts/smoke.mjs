// `npm run smoke -- --url <gateway URL> --key <API key>`: checks a running deployment end to end
// (packages/sdk/src/smoke/smoke.ts). Needs only this repository's dependencies, no database of its own.
import { existsSync } from 'node:fs';
import { prepare, runTs } from './lib/prepare.mjs';

if (!existsSync(new URL('../node_modules/.bin/tsx', import.meta.url))) prepare();
runTs('packages/sdk/src/smoke/main.ts', process.argv.slice(2));
