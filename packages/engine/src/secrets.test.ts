import { describe, expect, it } from 'vitest';
import { compile } from './compile';
import { functionTable, renderTemplate } from './expressions';
import { SECRET_SHAPE_RULE, expressionSecretUses, referencedSecretNames } from './secrets';

const wf = (node: Record<string, unknown>, settings?: Record<string, unknown>) => ({
  nodes: [{ id: 't', type: 'trigger', config: {} }, { id: 'n', ...node }],
  edges: [{ source: 't', target: 'n' }],
  ...(settings ? { settings } : {}),
});

describe('secret references', () => {
  it('finds the names a config reads as the bare secrets.NAME, and nothing else', () => {
    const config = {
      url: 'https://api.example.com/{{ input.id }}?key={{ secrets.API_KEY }}',
      headers: { authorization: 'Bearer {{ secrets.TOKEN }}', 'x-both': '{{ secrets.A }}:{{ secrets."B_2" }}', 'x-joined': "{{ join(',', [secrets.JOINED]) }}" },
      body: { nested: ['{{ secrets.TOKEN.part }}', "{{ 'secrets.NOT_READ' }}", '{{ input.items[?name == secrets.NOT_ROOT] }}', '{{ input.secrets.NOT_ROOT }}'] },
    };
    // JOINED is reshaped (refused at publish), so it is never loaded either.
    expect(referencedSecretNames(config)).toEqual(['A', 'API_KEY', 'B_2', 'TOKEN']);
  });

  it('flags uses of secrets that name no secret or an impossible name', () => {
    expect(expressionSecretUses('secrets')).toEqual([{ rule: 'invalid_secret_reference', problem: expect.stringContaining('secrets.NAME') }]);
    expect(expressionSecretUses('secrets.*')[0]?.problem).toBeDefined();
    expect(expressionSecretUses('let $s = secrets in $s.A')[0]?.problem).toBeDefined();
    expect(expressionSecretUses('secrets.lower')[0]).toMatchObject({ name: 'lower', problem: expect.stringContaining('not a valid secret name') });
  });

  it('allows only the exact tree Subexpression(Field secrets, Field NAME), however it is spelled', () => {
    for (const bare of ['secrets.TOKEN', 'secrets."TOKEN"', '"secrets".TOKEN', '(secrets.TOKEN)']) {
      expect(expressionSecretUses(bare), bare).toEqual([{ name: 'TOKEN' }]);
    }
  });

  it('refuses every other shape that takes a secret as input', () => {
    const reshaped = [
      'secrets.TOKEN.x', 'secrets.TOKEN[0]', 'secrets.TOKEN[::-1]', 'secrets.TOKEN[*]', 'secrets.TOKEN[]', 'secrets.*.x',
      'secrets.TOKEN | @', 'secrets | TOKEN', '[secrets.TOKEN]', '{a: secrets.TOKEN}', "secrets.TOKEN == 'x'", "secrets.TOKEN < 'b'",
      "secrets.TOKEN || 'x'", "secrets.TOKEN && 'x'", '!secrets.TOKEN', "secrets.TOKEN ? 'a' : 'b'", "secrets.TOKEN + 'x'", '-secrets.TOKEN',
      '[secrets.TOKEN][?@ == `"x"`]', "input.items[?name == $.secrets.TOKEN]", '$.secrets.TOKEN', '@.secrets.TOKEN', '$.secrets',
      'let $s = secrets.TOKEN in $s', 'let $s = secrets in $s.TOKEN', "input || secrets.TOKEN",
    ];
    for (const expression of reshaped) {
      expect(expressionSecretUses(expression), expression).toEqual([{ rule: 'secret_reshaped', problem: SECRET_SHAPE_RULE }]);
    }
  });

  it('does not count a field called secrets of something else, nor a literal', () => {
    for (const expression of ['input.secrets.TOKEN', "'secrets.TOKEN'", 'input.items[?secrets.TOKEN]', 'map(&secrets.TOKEN, input.items)', 'steps.a.output.secrets']) {
      expect(expressionSecretUses(expression), expression).toEqual([]);
    }
  });
});

/** A call of `name` with `secrets.TOKEN` at parameter `at` and harmless arguments elsewhere. */
function callWithSecret(params: readonly { expref: boolean }[], at: number, name: string): string {
  return `${name}(${params.map((p, i) => (i === at ? 'secrets.TOKEN' : p.expref ? '&@' : '@')).join(', ')})`;
}

describe('publishing a secret reshaped by a function', () => {
  it('refuses every function of the JMESPath function table, at every parameter that takes a value', () => {
    const table = functionTable();
    expect(table.size).toBeGreaterThan(40); // the interpreter's whole table, not a hand-written list
    let checked = 0;
    for (const [name, params] of table) {
      const valueSlots = params.map((p, i) => (p.expref ? -1 : i)).filter((i) => i >= 0);
      expect(valueSlots.length, `${name} takes no value to put a secret in`).toBeGreaterThan(0);
      for (const at of valueSlots) {
        const expression = callWithSecret(params, at, name);
        for (const template of [`{{ ${expression} }}`, `Bearer {{ ${expression} }}`]) {
          const r = compile(wf({ type: 'http_request', config: { method: 'GET', url: 'https://x.test/', headers: { authorization: template } } }));
          expect(r.ok, template).toBe(false);
          if (!r.ok) {
            expect(r.errors, template).toContainEqual({ path: 'nodes[1].config.headers.authorization', code: 'secret_reshaped', nodeId: 'n', message: `{{ ${expression} }}: ${SECRET_SHAPE_RULE}` });
          }
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(2 * table.size);
  });

  it('refuses a reshaped secret inside a for_each body, naming the body node', () => {
    const body = { nodes: [{ id: 's', type: 'trigger', config: {} }, { id: 'h', type: 'http_request', config: { method: 'GET', url: 'https://x.test/{{ reverse(secrets.K) }}' } }], edges: [{ source: 's', target: 'h' }] };
    const r = compile(wf({ type: 'for_each', config: { items: 'input.list', body } }));
    expect(!r.ok && r.errors).toContainEqual(expect.objectContaining({ code: 'secret_reshaped', path: 'nodes[1].config.body.nodes[1].config.url', nodeId: 'n' }));
  });
});

describe('rendering a template with a step\'s secrets', () => {
  const secret = 'tok_9f8e7d6c5b4a';
  const context = { input: { user: 'ada', secrets: { TOKEN: 'not-the-secret' } }, steps: {}, run: { id: 'r', workflowId: 'w' }, secrets: { TOKEN: secret } };

  it('substitutes the bare secrets.NAME, alone or inside text', () => {
    expect(renderTemplate({ a: '{{ secrets.TOKEN }}', b: 'Bearer {{ secrets.TOKEN }}', c: '{{ input.user }}' }, context)).toEqual({ a: secret, b: `Bearer ${secret}`, c: 'ada' });
  });

  it('hides the secrets from every other expression, whatever reaches for the whole context', () => {
    const attempts = ['@', '$', 'to_string(@)', 'values(@)', 'keys(@)', 'let $c = @ in $c.secrets.TOKEN', 'reverse(secrets.TOKEN)', '$.secrets.TOKEN', 'merge(@)', '*', 'to_array(@)[0].secrets'];
    for (const expression of attempts) {
      // Whatever comes out, a value or an error (reverse(null) is a type error), holds no form of it.
      let out: string;
      try {
        out = JSON.stringify(renderTemplate(`{{ ${expression} }}`, context) ?? null);
      } catch (error) {
        out = `${(error as Error).message} ${JSON.stringify(error)}`;
      }
      expect(out, expression).not.toContain(secret);
      expect(out.toLowerCase(), expression).not.toContain('9f8e7d');
      expect(out, expression).not.toContain(secret.split('').reverse().join(''));
    }
    // The context's own data is still all there.
    expect(renderTemplate('{{ input.secrets.TOKEN }}', context)).toBe('not-the-secret');
  });
});

describe('publishing a workflow that uses secrets', () => {
  it('accepts {{ secrets.NAME }} in http_request templates', () => {
    const r = compile(wf({ type: 'http_request', config: { method: 'POST', url: 'https://x.test/{{ secrets.PATH_TOKEN }}', headers: { authorization: 'Bearer {{ secrets.TOKEN }}' }, body: { k: '{{ secrets.TOKEN }}' } } }));
    expect(r.ok).toBe(true);
  });

  it('accepts secrets inside a for_each body http_request', () => {
    const body = { nodes: [{ id: 's', type: 'trigger', config: {} }, { id: 'h', type: 'http_request', config: { method: 'GET', url: 'https://x.test/{{ item }}', headers: { k: '{{ secrets.K }}' } } }], edges: [{ source: 's', target: 'h' }] };
    expect(compile(wf({ type: 'for_each', config: { items: 'input.list', body } })).ok).toBe(true);
  });

  it('refuses secrets where they cannot be resolved, naming the field', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'transform', config: { expression: 'secrets.TOKEN' } }, 'nodes[1].config.expression'],
      [{ type: 'transform', config: { input: '{{ secrets.TOKEN }}', expression: '@' } }, 'nodes[1].config.input'],
      [{ type: 'wait_for_approval', config: { prompt: 'ok {{ secrets.TOKEN }}?' } }, 'nodes[1].config.prompt'],
      [{ type: 'terminate', config: { status: 'failed', message: '{{ secrets.TOKEN }}' } }, 'nodes[1].config.message'],
    ];
    for (const [node, path] of cases) {
      const r = compile(wf(node));
      expect(r.ok, path).toBe(false);
      if (!r.ok) expect(r.errors).toContainEqual(expect.objectContaining({ path, code: 'secret_not_allowed', nodeId: 'n' }));
    }
    const out = compile(wf({ type: 'transform', config: { expression: '`1`' } }, { output: 'secrets.TOKEN' }));
    expect(!out.ok && out.errors[0]).toMatchObject({ path: 'settings.output', code: 'secret_not_allowed' });
  });

  it('refuses a bare secrets reference in an http_request', () => {
    const r = compile(wf({ type: 'http_request', config: { method: 'POST', url: 'https://x.test', body: '{{ secrets }}' } }));
    expect(!r.ok && r.errors[0]).toMatchObject({ path: 'nodes[1].config.body', code: 'invalid_secret_reference' });
  });

  it('lets a transform with input read a field called secrets of that input', () => {
    expect(compile(wf({ type: 'transform', config: { input: '{{ input }}', expression: 'secrets.count' } })).ok).toBe(true);
  });
});

describe('loading a version stored before the bare-secret rule', () => {
  it('still builds its graph (the executor refuses the step at run time), while publishing refuses it', () => {
    const def = wf({ type: 'http_request', config: { method: 'GET', url: 'https://x.test/{{ reverse(secrets.TOKEN) }}' } });
    expect(compile(def).ok).toBe(false);
    const stored = compile(def, { stored: true });
    expect(stored.ok).toBe(true);
    // Other problems still stop a stored version.
    expect(compile(wf({ type: 'http_request', config: { method: 'GET', url: '{{ secrets }}' } }), { stored: true }).ok).toBe(false);
  });
});
