// `npm run smoke -- --url <gateway> --key <api key>` (or WEFT_SMOKE_URL / WEFT_SMOKE_KEY), and
// `node dist/smoke.mjs …` in the gateway image: a synthetic check of a deployment. Prints each
// check with its time; exits 0 when all pass, 1 with the reason when one fails, 2 on bad usage.
import { parseArgs } from 'node:util';
import { smokeEnv } from './env';
import { runSmoke } from './smoke';

const { values } = parseArgs({
  options: { url: { type: 'string' }, key: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean', default: false } },
  allowPositionals: false,
});
const env = smokeEnv();
const url = values.url ?? env.url ?? 'http://127.0.0.1:8080';
const key = values.key ?? env.key;
const timeoutMs = values.timeout === undefined ? 60_000 : Number(values.timeout) * 1000;
if (!key) {
  console.error('smoke: no API key: pass --key or set WEFT_SMOKE_KEY');
  process.exit(2);
}
if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
  console.error(`smoke: --timeout must be a number of seconds, got "${values.timeout}"`);
  process.exit(2);
}
const result = await runSmoke({ url, key, timeoutMs });
if (values.json) console.log(JSON.stringify({ url, ...result }));
else {
  for (const c of result.checks) console.log(`${c.ok ? '✔' : '✖'} ${c.name.padEnd(16)} ${String(c.ms).padStart(6)} ms${c.detail ? `  ${c.detail}` : ''}`);
  console.log(result.ok ? `smoke: ${url} is healthy` : `smoke: FAILED: ${result.reason}`);
}
process.exit(result.ok ? 0 : 1);
