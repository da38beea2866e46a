/* global process, performance */
// Preload for profiling (BENCH_SERVICE_NODE_ARGS="--import ./bench/src/profile/count-queries.mjs"):
// counts every SQL statement a service sends through pg, with its client-observed time, and
// writes them to $BENCH_PROFILE_DIR/<pid>-queries.json when the process exits.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(`${process.cwd()}/packages/db/package.json`);
const pg = require('pg');
const stats = new Map();
const original = pg.Client.prototype.query;
pg.Client.prototype.query = function query(config, values, callback) {
  const text = typeof config === 'string' ? config : config?.text;
  if (typeof text !== 'string') return original.call(this, config, values, callback);
  const key = text.replace(/\s+/g, ' ').replace(/\(\$\d+[^)]*\)(,\(\$\d+[^)]*\))+/g, '(…)×n').slice(0, 160);
  const t0 = performance.now();
  const note = () => {
    const s = stats.get(key) ?? { count: 0, ms: 0 };
    s.count++;
    s.ms += performance.now() - t0;
    stats.set(key, s);
  };
  const r = original.call(this, config, values, callback);
  if (r && typeof r.then === 'function') r.then(note, note);
  else note();
  return r;
};
process.on('exit', () => {
  const dir = process.env.BENCH_PROFILE_DIR ?? '/tmp';
  const list = [...stats].map(([sql, s]) => ({ sql, ...s })).sort((a, b) => b.count - a.count);
  writeFileSync(`${dir}/${process.argv[process.argv.length - 1].split('/').slice(-3).join('_')}-${process.pid}-queries.json`, JSON.stringify(list, null, 1));
});
