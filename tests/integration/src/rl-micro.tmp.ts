import { hashApiKey } from '@weft/gateway';
import { startLoneGateway } from './lone-gateway';

const gw = await startLoneGateway({ listen: false, app: { rateLimits: { policies: { 'org-runs': { rate: 0.001, burst: 1 } } } } });
const org = crypto.randomUUID();
await gw.db.pool.query(`INSERT INTO orgs (id, slug, name) VALUES ($1, 'noisy', 'Noisy')`, [org]);
const key = `weft_noisy_${crypto.randomUUID()}`;
await gw.db.pool.query(`INSERT INTO api_keys (id, org_id, name, prefix, hash, role) VALUES ($1, $2, 'owner', 'weft_', $3, 'owner')`, [crypto.randomUUID(), org, hashApiKey(key)]);
const req = { method: 'POST' as const, url: '/v1/runs', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload: JSON.stringify({ workflowId: crypto.randomUUID(), inputs: { a: 1 } }) };
console.log((await gw.app.inject(req)).statusCode, (await gw.app.inject(req)).statusCode);
for (let round = 0; round < 3; round++) {
  const N = Number(process.env.N ?? 200);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await gw.app.inject(req);
  const cpu = process.cpuUsage(c0);
  console.log(`round ${round}: ${((performance.now() - t0) * 1000 / N).toFixed(1)} µs wall, ${((cpu.user + cpu.system) / N).toFixed(1)} µs cpu per refused request`);
}
const last = await gw.app.inject(req);
console.log(last.statusCode, last.headers, last.body);
await gw.stop();
process.exit(0);
