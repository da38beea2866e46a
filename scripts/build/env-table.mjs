// Prints the Markdown table of every environment variable the services and apps read, from their
// Zod env schemas and the doc comments above each key. docs/deploy.md holds its output, and a test
// (tests/deploy/src/env-docs.test.ts) fails when a variable is missing there.
//   node scripts/build/env-table.mjs > /tmp/env.md
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const SHARED = ['packages/config/src/index.ts', 'packages/config/src/limits.ts', 'packages/crypto/src/env.ts'];
/** Env fragments a few services spread into their schemas, and who reads them. */
const FRAGMENTS = { 'packages/oauth/src/providers.ts': 'executor, gateway' };

/** Env schema files: the shared ones (every service) and each service's and app's own. */
export function envSchemaFiles() {
  const own = ['services', 'apps'].flatMap((dir) =>
    readdirSync(join(ROOT, dir)).flatMap((name) => ['src/env.ts', 'src/features/auth/auth-env.ts'].map((f) => `${dir}/${name}/${f}`)),
  );
  return [...SHARED, ...Object.keys(FRAGMENTS), ...own].filter((f) => existsSync(join(ROOT, f)));
}

const KEY = /((?:\/\*\*(?:[^*]|\*(?!\/))*\*\/\s*)?)\b((?:WEFT_[A-Z0-9_]+)|DATABASE_URL|REDIS_URL|REDIS_CLUSTER_NODES|LOG_LEVEL)\s*:\s*[a-zA-Z(]/g;

/** name → { doc, where } for every variable declared in an env schema. */
export function envVariables() {
  const vars = new Map();
  for (const file of envSchemaFiles()) {
    const where = SHARED.includes(file) ? 'all services' : (FRAGMENTS[file] ?? file.split('/')[1]);
    for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(KEY)) {
      const doc = m[1].replace(/\/\*\*|\*\//g, '').replace(/\n\s*\*\s?/g, ' ').replace(/\s+/g, ' ').trim();
      const v = vars.get(m[2]) ?? { doc: '', where: new Set() };
      if (!v.doc) v.doc = doc;
      v.where.add(where);
      vars.set(m[2], v);
    }
  }
  return vars;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log('| variable | read by | meaning |\n|---|---|---|');
  for (const [name, { doc, where }] of [...envVariables()].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`| \`${name}\` | ${[...where].sort().join(', ')} | ${doc.replace(/\|/g, '\\|')} |`);
  }
}
