import { compile } from '@weft/engine';
import { describe, expect, it } from 'vitest';
import { analyzeTemplate } from './analyze';
import { STARTER_TEMPLATES } from './starters';

describe('the starter templates', () => {
  it('are twenty, with distinct slugs', () => {
    expect(STARTER_TEMPLATES).toHaveLength(20);
    expect(new Set(STARTER_TEMPLATES.map((s) => s.slug)).size).toBe(20);
  });

  it.each(STARTER_TEMPLATES.map((s) => [s.slug, s] as const))('%s compiles and passes the pre-publish checks with every slot described', (_slug, s) => {
    const compiled = compile(s.definition);
    expect(compiled.ok ? [] : compiled.errors).toEqual([]);
    const analysis = analyzeTemplate(s.definition, s.credentials);
    expect(analysis.errors).toEqual([]);
    expect(analysis.credentials.map((c) => c.name).sort()).toEqual(Object.keys(s.credentials).sort());
    expect(analysis.warnings.filter((w) => w.code !== 'dynamic_domain')).toEqual([]);
    expect(s.readme.startsWith('# ')).toBe(true);
    expect(s.summary.length).toBeGreaterThan(20);
  });
});
