// The migrations are hand-run SQL; schema.prisma is the model. This proves they agree, so that
// the Prisma client's queries fit the tables and `prisma migrate diff` would find no drift.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import internals from '@prisma/internals';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from './client';
import { newId } from './ids';
import { migrate } from './migrate';
import { GENERATED_COLUMNS, PARTIAL_INDEXES, RAW_INDEXES } from './partial-indexes';
import { createScratchDatabase, type ScratchDatabase } from './test-support';

const schemaPath = fileURLToPath(new URL('../prisma/schema.prisma', import.meta.url));
const { datamodel } = await internals.getDMMF({ datamodel: readFileSync(schemaPath, 'utf8') });
type Model = (typeof datamodel.models)[number];
type Field = Model['fields'][number];

const tableOf = (model: Model) => model.dbName ?? model.name;
const columnOf = (field: Field) => field.dbName ?? field.name;
const scalars = (model: Model) => model.fields.filter((f) => f.kind === 'scalar');
const byKey = <T extends { key: string }>(rows: T[]) => [...rows].sort((a, b) => a.key.localeCompare(b.key));

// Prisma's default column type per scalar when no @db attribute is given.
const defaultSqlType: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Boolean: 'boolean',
  Json: 'jsonb',
  Bytes: 'bytea',
  DateTime: 'timestamp(3)',
  Float: 'double precision',
};

function expectedSqlType(field: Field): string {
  if (!field.nativeType) return defaultSqlType[field.type] ?? `unmapped ${field.type}`;
  const [name, args] = field.nativeType as [string, string[]];
  return args.length ? `${name.toLowerCase()}(${args.join(',')})` : name.toLowerCase();
}

// information_schema's type names, spelled as in schema.prisma's @db attributes.
function actualSqlType(udt: string, precision: number | null): string {
  const names: Record<string, string> = { int4: 'integer', int8: 'bigint', bool: 'boolean', float8: 'double precision' };
  if (udt === 'timestamptz' || udt === 'timestamp') return `${udt}(${precision})`;
  return names[udt] ?? udt;
}

// Prisma's default index names (no model here maps its own), which `migrate diff` compares.
function expectedIndexName(table: string, type: string, columns: string[]): string {
  if (type === 'id') return `${table}_pkey`;
  return `${table}_${columns.join('_')}_${type === 'unique' ? 'key' : 'idx'}`;
}

// The partitions of a partitioned table (run_logs) are managed by SQL, not described by the schema:
// the parent table stands for them.
const NOT_A_PARTITION = (column: string) => `${column} NOT IN (SELECT relname FROM pg_class WHERE relispartition AND relnamespace = 'public'::regnamespace)`;

let scratch: ScratchDatabase;
let db: Db;

beforeAll(async () => {
  scratch = await createScratchDatabase();
  await migrate(scratch.url);
  db = createDb({ url: scratch.url, poolMax: 2 });
});

afterAll(async () => {
  await db?.close();
  await scratch?.drop();
});

describe('the migrated database', () => {
  it('has exactly one table per model, besides _prisma_migrations', async () => {
    const { rows } = await db.pool.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' AND ${NOT_A_PARTITION('table_name')}`,
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual(datamodel.models.map(tableOf).sort());
  });

  it('has every field of the schema as a column of the same type, nullability and default, and no other column', async () => {
    const { rows } = await db.pool.query<{
      table_name: string;
      column_name: string;
      udt_name: string;
      datetime_precision: number | null;
      is_nullable: 'YES' | 'NO';
      column_default: string | null;
    }>(`SELECT table_name, column_name, udt_name, datetime_precision, is_nullable, column_default
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' AND ${NOT_A_PARTITION('table_name')}`);
    const generated = rows.filter((c) => Object.hasOwn(GENERATED_COLUMNS, `${c.table_name}.${c.column_name}`));
    expect(Object.fromEntries(generated.map((c) => [`${c.table_name}.${c.column_name}`, c.udt_name]))).toEqual(GENERATED_COLUMNS);
    const actual = rows.filter((c) => !generated.includes(c)).map((c) => ({
      key: `${c.table_name}.${c.column_name}`,
      type: actualSqlType(c.udt_name, c.datetime_precision),
      nullable: c.is_nullable === 'YES',
      hasDefault: c.column_default !== null,
    }));
    const expected = datamodel.models.flatMap((model) =>
      scalars(model).map((field) => ({
        key: `${tableOf(model)}.${columnOf(field)}`,
        type: expectedSqlType(field),
        nullable: !field.isRequired,
        hasDefault: field.hasDefaultValue,
      })),
    );
    expect(byKey(actual)).toEqual(byKey(expected));
  });

  it('has every @id, @unique, @@unique and @@index of the schema as an index (partial where listed), and no other index', async () => {
    const { rows } = await db.pool.query<{ tablename: string; indexname: string; indexdef: string }>(
      `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' AND ${NOT_A_PARTITION('tablename')}`,
    );
    const expressions = rows.filter((r) => Object.hasOwn(RAW_INDEXES, r.indexname));
    expect(Object.fromEntries(expressions.map((r) => [r.indexname, r.indexdef]))).toEqual(RAW_INDEXES);
    const actual = rows.filter((r) => !Object.hasOwn(RAW_INDEXES, r.indexname)).map((r) => {
      // `ON ONLY`: the index of a partitioned table (each partition has its own, not listed).
      const match = /^CREATE (UNIQUE )?INDEX \S+ ON (?:ONLY )?\S+ USING (\w+) \((.+?)\)(?: WHERE (.+))?$/.exec(r.indexdef);
      if (!match) throw new Error(`unexpected index definition: ${r.indexdef}`);
      const columns = match[3]!.split(', ').map((c) => c.replace(/^"|"$/g, ''));
      return { key: `${r.tablename}.${r.indexname}`, unique: Boolean(match[1]), method: match[2], columns, where: match[4] ?? null };
    });
    const expected = datamodel.indexes.map((index) => {
      const model = datamodel.models.find((m) => m.name === index.model)!;
      const columns = index.fields.map((f) => columnOf(model.fields.find((field) => field.name === f.name)!));
      const name = index.dbName ?? expectedIndexName(tableOf(model), index.type, columns);
      return { key: `${tableOf(model)}.${name}`, unique: index.type !== 'normal', method: 'btree', columns, where: PARTIAL_INDEXES[name] ?? null };
    });
    expect(byKey(actual)).toEqual(byKey(expected));
  });
});

// One value per scalar type; every model gets a single row, so @unique values cannot collide.
function sampleValue(field: Field): unknown {
  switch (field.type) {
    case 'String':
      return field.nativeType?.[0] === 'Uuid' ? newId() : `${field.name} ✓ 'quoted'`;
    case 'Int':
      return 2_147_483_647;
    case 'BigInt':
      return 9_007_199_254_740_993n;
    case 'Boolean':
      return !field.default;
    case 'Json':
      return { nested: [1, 'two', null, { three: true }] };
    case 'Bytes':
      return new Uint8Array([0, 1, 254, 255]);
    case 'DateTime':
      // A `@db.Date` column keeps the day only.
      return new Date(field.nativeType?.[0] === 'Date' ? '2026-11-23T00:00:00.000Z' : '2026-11-23T12:34:56.789Z');
    default:
      throw new Error(`no sample value for ${field.type}`);
  }
}

type Delegate = {
  create(args: { data: Record<string, unknown> }): Promise<Record<string, unknown>>;
  findUnique(args: { where: Record<string, unknown> }): Promise<Record<string, unknown> | null>;
};

describe('the Prisma client on the migrated database', () => {
  it.each(datamodel.models.map((m) => [m.name, m] as const))('round-trips one %s row through create and findUnique', async (_name, model) => {
    const isAutoincrement = (f: Field) => (f.default as { name?: string } | undefined)?.name === 'autoincrement';
    const data = Object.fromEntries(
      scalars(model)
        .filter((f) => !isAutoincrement(f))
        .map((f) => [f.name, sampleValue(f)]),
    );
    const key = model.name[0]!.toLowerCase() + model.name.slice(1);
    const delegate = (db.prisma as unknown as Record<string, Delegate>)[key]!;

    const created = await delegate.create({ data });
    expect(created).toEqual({ ...created, ...data });
    // By the `@id` field, or by the compound primary key (`@@id([a, b])` is the `a_b` unique input).
    const pk = (model as { primaryKey?: { fields: string[] } | null }).primaryKey?.fields;
    const id = model.fields.find((f) => f.isId)?.name ?? 'id';
    const where = pk ? { [pk.join('_')]: Object.fromEntries(pk.map((f) => [f, created[f]])) } : { [id]: created[id] };
    const found = await delegate.findUnique({ where });
    expect(found).toEqual(created);
  });
});
