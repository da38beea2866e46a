import { nodeTypes, catalogEntry } from '@weft/workflow-schema';
import { describe, expect, it } from 'vitest';
import { parseWorkflowFile } from './parse-workflow-file';
import { fieldKind, initialConfig, loadUserSchemas, userSchemasReady, validateAgainst, validateConfig, type JSONSchema } from './schema';

const http = catalogEntry(nodeTypes.http_request);

describe('validateConfig', () => {
  it('names each problem by field, in plain words', () => {
    expect(validateConfig(http, {})).toEqual({ url: 'Required' });
    expect(validateConfig(http, { url: 'x', method: 'FETCH', timeoutMs: 0, retry: {} })).toEqual({
      method: 'Must be one of "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"',
      timeoutMs: 'Must be > 0',
      'retry.maxAttempts': 'Required',
    });
    expect(validateConfig(http, { url: 'https://x', extra: 1 })).toEqual({ '': 'Unknown field “extra”' });
    expect(validateConfig(http, { url: 'https://x' })).toEqual({});
  });
});

describe('validateAgainst (schemas users write)', () => {
  it('checks patterns in the linear-time engine, as the gateway does, once it is loaded', async () => {
    expect(userSchemasReady()).toBe(false);
    expect(() => validateAgainst({ type: 'string' }, 'x')).toThrow(/loadUserSchemas/);
    await loadUserSchemas();
    const schema = { type: 'object', properties: { code: { type: 'string', pattern: '^\\S+$' } } };
    expect(validateAgainst(schema, { code: 'A1' })).toEqual({});
    // JavaScript's \S, not RE2's: a no-break space is white space.
    expect(validateAgainst(schema, { code: 'A\u00a01' })).toEqual({ code: 'Must match ^\\S+$' });
    expect(validateAgainst({ type: 'string', pattern: '^(?=a)' }, 'a')).toEqual({
      '': 'The schema itself is not valid: pattern uses a lookahead, which the linear-time engine does not support',
    });
    expect(validateAgainst({ type: 'string', pattern: '^(x+x+)+y$' }, 'x'.repeat(5000))).toEqual({ '': 'Must match ^(x+x+)+y$' });
    // The gateway's budget of pattern matching per check: a huge paste is refused, not matched for seconds.
    expect(validateAgainst({ type: 'array', items: { type: 'string', pattern: '^\\S+$' } }, ['x'.repeat(600_000), 'x'.repeat(600_000)])).toEqual({
      '': expect.stringMatching(/more text than the input schema's patterns may check in one request/),
    });
  });
});

describe('fieldKind and initialConfig', () => {
  it('picks a control for each property of the catalog schemas', () => {
    const props = (t: keyof typeof nodeTypes) => (catalogEntry(nodeTypes[t]).configSchema as JSONSchema).properties!;
    expect(fieldKind(props('http_request').method!)).toBe('enum');
    expect(fieldKind(props('http_request').url!)).toBe('text');
    expect(fieldKind(props('http_request').headers!)).toBe('record');
    expect(fieldKind(props('http_request').body!)).toBe('json');
    expect(fieldKind(props('http_request').retry!)).toBe('object');
    expect(fieldKind(props('transform').expression!)).toBe('expression');
    expect(fieldKind(props('for_each').concurrency!)).toBe('number');
  });
  it("gives an approval's notify settings their own fields: email a switch, slack an object, the link lifetime a number", () => {
    const notify = (catalogEntry(nodeTypes.wait_for_approval).configSchema as JSONSchema).properties!.notify!;
    expect(fieldKind(notify)).toBe('object');
    expect(fieldKind(notify.properties!.email!)).toBe('boolean');
    expect(fieldKind(notify.properties!.slack!)).toBe('object');
    expect(fieldKind(notify.properties!.slack!.properties!.webhookUrl!)).toBe('text');
    expect(fieldKind(notify.properties!.linkTtlMs!)).toBe('number');
  });
  it('starts a node from its schema defaults, leaving required fields to fill', () => {
    expect(initialConfig(http)).toEqual({ method: 'GET', bodyType: 'json' });
  });
});

describe('parseWorkflowFile', () => {
  it('accepts a definition or a whole exported workflow, and explains what it refuses', () => {
    const def = { nodes: [{ id: 'trigger', type: 'trigger', config: {} }], edges: [] };
    expect(parseWorkflowFile(JSON.stringify(def))).toEqual({ ok: true, definition: def });
    expect(parseWorkflowFile(JSON.stringify({ name: 'x', definition: def }))).toEqual({ ok: true, definition: def });
    expect(parseWorkflowFile('{')).toMatchObject({ ok: false, title: 'The file is not valid JSON' });
    expect(parseWorkflowFile('{"nodes":[{"id":"1x","type":"t"}]}')).toMatchObject({ ok: false, issues: [{ path: 'nodes.0.id' }] });
  });
});
