// `node scripts/pnpm.mjs <args>`: run pnpm 10 without requiring it to be installed.
import { pnpm } from './lib/pnpm.mjs';
process.exit(pnpm(process.argv.slice(2), { allowFailure: true }));
