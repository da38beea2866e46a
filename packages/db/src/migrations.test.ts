import { describe, expect, it } from 'vitest';
import { checksumOf, matchesChecksum, readMigrations } from './migrations';

describe('migration checksums', () => {
  it('are the zero-padded SHA-256 hex Prisma writes', () => {
    expect(checksumOf('hello')).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
  });

  it('match a script whatever its line endings, as Prisma compares them', () => {
    const lf = 'CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n';
    const crlf = lf.replaceAll('\n', '\r\n');
    expect(matchesChecksum(lf, checksumOf(crlf))).toBe(true);
    expect(matchesChecksum(crlf, checksumOf(lf))).toBe(true);
  });

  it('do not match a script that differs in anything but line endings', () => {
    expect(matchesChecksum('abc\n', checksumOf('abc'))).toBe(false);
  });

  it('match the unpadded hex old Prisma versions recorded', () => {
    const sql = 'SELECT 1;';
    const digest = Buffer.from(checksumOf(sql), 'hex');
    const unpadded = [...digest].map((b) => b.toString(16)).join('');
    expect(unpadded.length).toBeLessThan(64); // this digest has a byte below 0x10
    expect(matchesChecksum(sql, unpadded)).toBe(true);
  });
});

describe('readMigrations', () => {
  it('lists the migration folders in name order with their checksums', () => {
    const migrations = readMigrations();
    expect(migrations.map((m) => m.name)).toEqual(migrations.map((m) => m.name).sort());
    expect(migrations[0]?.name).toBe('20261123000000_init');
    for (const m of migrations) expect(m.checksum).toBe(checksumOf(m.sql));
  });
});
