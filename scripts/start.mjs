// `npm start`: install, prepare the databases, start every service with a seeded demo.
import { prepare, runTs } from './lib/prepare.mjs';

prepare();
runTs('scripts/platform/start.ts', process.argv.slice(2));
