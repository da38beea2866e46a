// `npm run bench [-- <workload>...]`: runs the benchmark workloads of bench/ (all, or the ones named)
// and writes bench/results/latest.{json,md}. Uses the Postgres and Redis of DATABASE_URL / REDIS_URL
// (or the local defaults). Benchmarks measure and report; they never assert timings.
import { prepare, runTs } from './lib/prepare.mjs';

prepare();
runTs('bench/src/main.ts', process.argv.slice(2));
