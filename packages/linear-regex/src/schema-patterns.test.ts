import { describe, expect, it } from 'vitest';
import { schemaPatternIssues, schemaPatterns } from './schema-patterns';

describe('The regular expressions of a JSON Schema', () => {
  it('are found at any depth, under every keyword that holds subschemas, each with its path', () => {
    const schema = {
      type: 'object',
      properties: {
        email: { type: 'string', pattern: '^[^@]+@[^@]+$' },
        tags: { type: 'array', items: { pattern: '^t' }, prefixItems: [{ pattern: '^p0' }] },
        'odd key': { pattern: '^k' },
      },
      patternProperties: { '^x-': { pattern: '^v' } },
      propertyNames: { pattern: '^[a-z-]+$' },
      allOf: [{ anyOf: [{ not: { pattern: 'deep' } }] }],
      $defs: { id: { pattern: '^[0-9a-f]{8}$' } },
      if: { pattern: 'i' }, then: { pattern: 't' }, else: { pattern: 'e' },
      additionalProperties: { pattern: 'ap' },
    };
    expect(schemaPatterns(schema).map((p) => `${p.path} = ${p.pattern}`).sort()).toEqual(
      [
        'properties.email.pattern = ^[^@]+@[^@]+$',
        'properties.tags.items.pattern = ^t',
        'properties.tags.prefixItems[0].pattern = ^p0',
        'properties["odd key"].pattern = ^k',
        'patternProperties["^x-"] = ^x-',
        'patternProperties["^x-"].pattern = ^v',
        'propertyNames.pattern = ^[a-z-]+$',
        'allOf[0].anyOf[0].not.pattern = deep',
        '$defs.id.pattern = ^[0-9a-f]{8}$',
        'if.pattern = i',
        'then.pattern = t',
        'else.pattern = e',
        'additionalProperties.pattern = ap',
      ].sort(),
    );
  });

  it('are not looked for in data: const, enum, default and examples', () => {
    const schema = { const: { pattern: '(?=x)' }, enum: [{ pattern: '(?=x)' }], default: { pattern: '(?=x)' }, examples: [{ pattern: '(?=x)' }], properties: { pattern: { type: 'string' } } };
    expect(schemaPatterns(schema)).toEqual([]);
  });

  it('are walked without recursion, so a schema nested 10,000 deep is no problem', () => {
    let schema: Record<string, unknown> = { pattern: '(?=x)' };
    for (let i = 0; i < 10_000; i++) schema = { not: schema };
    expect(schemaPatternIssues(schema)).toEqual([
      { path: `${'not.'.repeat(10_000)}pattern`, pattern: '(?=x)', message: 'pattern uses a lookahead, which the linear-time engine does not support' },
    ]);
  });

  it('that the linear-time engine refuses are named with their path and reason', () => {
    const schema = { properties: { password: { pattern: '^(?=.*\\d).{8,}$' }, name: { pattern: '^\\w+$' } }, patternProperties: { '(a)\\1': {} } };
    expect(schemaPatternIssues(schema).sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'properties.password.pattern', pattern: '^(?=.*\\d).{8,}$', message: 'pattern uses a lookahead, which the linear-time engine does not support' },
      { path: 'patternProperties["(a)\\\\1"]', pattern: '(a)\\1', message: 'pattern uses a backreference (\\1), which the linear-time engine does not support' },
    ].sort((a, b) => a.path.localeCompare(b.path)));
  });
});
