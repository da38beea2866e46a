// `npm run rotate-keys`: re-wraps every envelope's data key under WEFT_KEK_CURRENT (scripts/rotate-keys.ts).
import { prepare, runTs } from './lib/prepare.mjs';

prepare();
runTs('scripts/rotate-keys.ts', process.argv.slice(2));
