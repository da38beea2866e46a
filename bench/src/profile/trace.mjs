/* global process, performance */
// Preload of the bench's `hops` workload (also usable alone through BENCH_SERVICE_NODE_ARGS="--import
// ./bench/src/profile/trace.mjs" BENCH_PROFILE_DIR=/tmp/prof): per service process, every SQL statement
// sent through pg (count, client-observed ms), every Redis command sent through ioredis (BullMQ's Lua
// scripts named: evalsha of `moveToActive` counts as `moveToActive`), and the event-loop delay
// (perf_hooks histogram). Written to $BENCH_PROFILE_DIR/trace-<service>-<pid>.json at exit.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const require = createRequire(`${process.cwd()}/packages/queue/package.json`);
const pg = require('pg');
const { Redis } = require('ioredis');

const queries = new Map();
const originalQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function query(config, values, callback) {
  const text = typeof config === 'string' ? config : config?.text;
  if (typeof text !== 'string') return originalQuery.call(this, config, values, callback);
  const key = (typeof config === 'object' && config.name) || text.replace(/\s+/g, ' ').slice(0, 120);
  const t0 = performance.now();
  const note = () => {
    const s = queries.get(key) ?? { count: 0, ms: 0 };
    s.count++;
    s.ms += performance.now() - t0;
    queries.set(key, s);
  };
  // pg.Pool#query passes a callback (values, or the callback in its place); a plain client answers a promise.
  if (typeof values === 'function') return originalQuery.call(this, config, (...a) => (note(), values(...a)));
  if (typeof callback === 'function') return originalQuery.call(this, config, values, (...a) => (note(), callback(...a)));
  const r = originalQuery.call(this, config, values);
  if (r && typeof r.then === 'function') r.then(note, note);
  else note();
  return r;
};

const scripts = new Map();
const originalDefine = Redis.prototype.defineCommand;
Redis.prototype.defineCommand = function defineCommand(name, definition) {
  scripts.set(createHash('sha1').update(definition.lua).digest('hex'), name.split(':')[0]);
  return originalDefine.call(this, name, definition);
};
const commands = new Map();
const originalSend = Redis.prototype.sendCommand;
Redis.prototype.sendCommand = function sendCommand(command, stream) {
  let name = command.name;
  if (name === 'evalsha') name = scripts.get(String(command.args[0])) ?? 'evalsha';
  else if (name === 'eval') name = `eval ${scripts.get(createHash('sha1').update(String(command.args[0])).digest('hex')) ?? ''}`;
  const t0 = performance.now();
  const s = commands.get(name) ?? { count: 0, ms: 0 };
  s.count++;
  commands.set(name, s);
  if (command.promise && !name.startsWith('bz')) command.promise.then(() => (s.ms += performance.now() - t0), () => undefined);
  return originalSend.call(this, command, stream);
};

const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();

process.on('exit', () => {
  const dir = process.env.BENCH_PROFILE_DIR ?? '/tmp';
  const entry = process.argv[process.argv.length - 1] ?? 'node';
  const service = basename(dirname(dirname(entry)));
  const list = (m) => [...m].map(([name, s]) => ({ name, ...s })).sort((a, b) => b.count - a.count);
  const ms = (ns) => ns / 1e6;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `trace-${service}-${process.pid}.json`),
    JSON.stringify({
      service,
      queries: list(queries),
      redis: list(commands),
      cpuMs: (({ user, system }) => (user + system) / 1000)(process.cpuUsage()),
      eventLoopDelayMs: { mean: ms(delay.mean), p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
    }),
  );
});
