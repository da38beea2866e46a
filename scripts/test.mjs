// `npm test`: install, prepare test databases, run every check and test; non-zero on any failure.
import { prepare, runTs } from './lib/prepare.mjs';

prepare();
runTs('scripts/platform/test.ts', process.argv.slice(2));
