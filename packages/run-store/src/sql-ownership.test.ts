import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * packages/run-store owns every statement on a run's rows: the services and apps call its
 * functions, so the fence, lease, `applied` and org-scoping rules stay written once (rules.ts).
 * This guard fails, naming file and line, when SQL on `runs`, `run_steps`, `run_events` or
 * `outbox` (or a Prisma query of their models) appears in services/ or apps/.
 *
 * SQL is spelled with upper-case keywords in this repository (docs/style), which keeps prose
 * ("steps from runs of …") out of the matches.
 */

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCANNED = ['services', 'apps'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'build', '.next', '.turbo', 'coverage', 'generated']);
const SOURCE = /\.(?:[cm]?[jt]s|tsx|jsx)$/;

const TABLES = '(runs|run_steps|run_events|outbox)';
const PATTERNS = [
  new RegExp(`\\b(?:UPDATE|INSERT\\s+INTO|DELETE\\s+FROM|FROM|JOIN|TRUNCATE(?:\\s+TABLE)?|LOCK\\s+TABLE)\\s+(?:ONLY\\s+)?${TABLES}\\b`, 'g'),
  /\bprisma\s*\.\s*(run|runStep|runEvent|outbox)\s*\./g,
];


interface Finding {
  file: string;
  line: number;
  text: string;
}

function* sourceFiles(dir: string): Generator<string> {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) yield* sourceFiles(join(dir, e.name));
    } else if (SOURCE.test(e.name)) {
      yield join(dir, e.name);
    }
  }
}

/** Every statement on the four tables in the source under `root`/`dirs`, as `file:line` (file relative to root, with `/`). */
function findRunRowSql(root: string, dirs: readonly string[]): Finding[] {
  const found: Finding[] = [];
  for (const dir of dirs) {
    for (const path of sourceFiles(join(root, dir))) {
      const text = readFileSync(path, 'utf8');
      const file = relative(root, path).split(sep).join('/');
      for (const pattern of PATTERNS) {
        for (const m of text.matchAll(pattern)) {
          const line = text.slice(0, m.index).split('\n').length;
          found.push({ file, line, text: m[0].replace(/\s+/g, ' ') });
        }
      }
    }
  }
  return found.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

const show = (f: Finding) => `${f.file}:${f.line}  ${f.text}`;

describe('statements on runs, run_steps, run_events and outbox live in packages/run-store', () => {
  const found = findRunRowSql(ROOT, SCANNED);

  it('no service or app holds one', () => {
    const outside = found.map(show);
    expect(outside, `move these into packages/run-store (a named function there):\n${outside.join('\n')}\n`).toEqual([]);
  });
});

describe('the scan', () => {
  const root = mkdtempSync(join(tmpdir(), 'weft-sql-ownership-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('names the file and line of every statement, however it is spread over lines', () => {
    mkdirSync(join(root, 'services/x/src'), { recursive: true });
    mkdirSync(join(root, 'services/x/node_modules/dep'), { recursive: true });
    writeFileSync(
      join(root, 'services/x/src/a.ts'),
      [
        '// steps taken from runs of a workflow (prose, not SQL)',
        "const a = `UPDATE run_steps SET status = 'queued'`;",
        'const b = `SELECT id',
        '  FROM',
        '    runs r WHERE r.id = $1`;',
        "const c = 'DELETE FROM outbox WHERE id = $1';",
        'const d = `INSERT INTO run_events (id) VALUES ($1)`;',
        'const e = `SELECT 1 FROM run_steps_archive`;',
        'await db.prisma.runStep.findMany({});',
      ].join('\n'),
    );
    writeFileSync(join(root, 'services/x/node_modules/dep/index.js'), "q('UPDATE runs SET x = 1')");
    expect(findRunRowSql(root, ['services']).map(show)).toEqual([
      "services/x/src/a.ts:2  UPDATE run_steps",
      'services/x/src/a.ts:4  FROM runs',
      'services/x/src/a.ts:6  DELETE FROM outbox',
      'services/x/src/a.ts:7  INSERT INTO run_events',
      'services/x/src/a.ts:9  prisma.runStep.',
    ]);
  });
});
