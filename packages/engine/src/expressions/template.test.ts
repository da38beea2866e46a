import { describe, expect, it } from 'vitest';
import { ExpressionError } from './errors';
import { checkTemplate, renderTemplate, templateExpressions } from './template';

const context = {
  input: { name: 'Ada', n: 3, ok: true, tags: ['a', 'b'], doc: { k: 1 }, nothing: null },
  steps: { fetch: { output: { status: 200, body: { id: 'x1' } } } },
  secrets: { TOKEN: 's3cr3t' },
};

describe('renderTemplate', () => {
  it('yields the raw value with its type when the string is exactly one template', () => {
    expect(renderTemplate('{{ input.n }}', context)).toBe(3);
    expect(renderTemplate('{{input.ok}}', context)).toBe(true);
    expect(renderTemplate('  {{ input.doc }}  ', context)).toEqual({ k: 1 });
    expect(renderTemplate('{{ input.tags }}', context)).toEqual(['a', 'b']);
    expect(renderTemplate('{{ input.name }}', context)).toBe('Ada');
  });

  it('yields null for a missing path in a whole template and "" in mixed text', () => {
    expect(renderTemplate('{{ input.missing.deeper }}', context)).toBeNull();
    expect(renderTemplate('[{{ input.missing }}]', context)).toBe('[]');
    expect(renderTemplate('[{{ input.nothing }}]', context)).toBe('[]');
  });

  it('yields a string when text is mixed with templates', () => {
    expect(renderTemplate('Hi {{ input.name }}, n={{ input.n }}, ok={{ input.ok }}', context)).toBe('Hi Ada, n=3, ok=true');
    expect(renderTemplate('doc={{ input.doc }} tags={{ input.tags }}', context)).toBe('doc={"k":1} tags=["a","b"]');
    expect(renderTemplate('{{ input.n }}{{ input.n }}', context)).toBe('33');
  });

  it('renders every string of nested objects and arrays and leaves other values alone', () => {
    const config = {
      url: 'https://api.example.com/items/{{ steps.fetch.output.body.id }}',
      headers: { Authorization: 'Bearer {{ secrets.TOKEN }}', Accept: 'application/json' },
      body: { list: ['{{ input.n }}', { deep: '{{ input.tags[0] }}' }], count: 2, flag: false, none: null },
    };
    expect(renderTemplate(config, context)).toEqual({
      url: 'https://api.example.com/items/x1',
      headers: { Authorization: 'Bearer s3cr3t', Accept: 'application/json' },
      body: { list: [3, { deep: 'a' }], count: 2, flag: false, none: null },
    });
    expect(config.url).toContain('{{');
  });

  it('does not template object keys and keeps a "__proto__" key as a key', () => {
    const value = JSON.parse('{"{{ input.n }}": 1, "__proto__": "{{ input.n }}"}') as unknown;
    const rendered = renderTemplate(value, context) as Record<string, unknown>;
    expect(Object.keys(rendered)).toEqual(['{{ input.n }}', '__proto__']);
    expect(Object.getPrototypeOf(rendered)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(rendered, '__proto__')?.value).toBe(3);
  });

  it('ends a template at the first }} outside quotes and braces of the expression', () => {
    expect(renderTemplate("{{ 'a}}b' }}", context)).toBe('a}}b');
    expect(renderTemplate('x{{ "}}" }}y', { '}}': 1 })).toBe('x1y');
    expect(renderTemplate('{{ `"}}"` }}', context)).toBe('}}');
    expect(renderTemplate('{{ {a: {b: input.n}} }}', context)).toEqual({ a: { b: 3 } });
    expect(renderTemplate('{{ {a: input.n}}}', context)).toEqual({ a: 3 });
    expect(renderTemplate('a }} b', context)).toBe('a }} b');
  });

  it("writes a literal {{ with the expression '{{'", () => {
    expect(renderTemplate("Use {{ '{{' }}name}} here", context)).toBe('Use {{name}} here');
  });

  it('throws an ExpressionError that names the path of the failing field', () => {
    let thrown: unknown;
    try {
      renderTemplate({ headers: { X: ['ok', '{{ abs(input.name) }}'] } }, context);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ExpressionError);
    expect(thrown).toMatchObject({ kind: 'invalid-type', path: 'headers.X[1]', expression: 'abs(input.name)' });
  });

  it('throws a syntax error for a {{ without its }}', () => {
    expect(() => renderTemplate({ a: 'Hello {{ input.name' }, context)).toThrow(/without a matching/);
  });
});

describe('templateExpressions', () => {
  it('lists every embedded expression with the JSON path of its string', () => {
    const config = {
      url: 'https://x/{{ input.id }}/{{input.rev}}',
      headers: { Authorization: 'Bearer {{ secrets.TOKEN }}' },
      body: [{ v: '{{ @ }}' }, 'plain'],
      count: 3,
    };
    expect(templateExpressions(config)).toEqual([
      { path: 'url', expression: 'input.id', offset: 13 },
      { path: 'url', expression: 'input.rev', offset: 27 },
      { path: 'headers.Authorization', expression: 'secrets.TOKEN', offset: 10 },
      { path: 'body[0].v', expression: '@', offset: 3 },
    ]);
  });

  it('gives an empty path for a template string that is the value itself', () => {
    expect(templateExpressions('{{ a }}')).toEqual([{ path: '', expression: 'a', offset: 3 }]);
  });
});

describe('checkTemplate', () => {
  it('finds nothing wrong with valid templates', () => {
    expect(checkTemplate({ a: '{{ input.x }}', b: ['x {{ length(steps.s.output) }}'] })).toEqual([]);
  });

  it('reports syntax errors, unknown functions and unclosed templates with their path', () => {
    const issues = checkTemplate({
      url: 'https://x/{{ input. }}',
      headers: { Authorization: 'Bearer {{ secrets.TOKEN' },
      body: ['{{ lenght(@) }}', '{{ foo[#] }}'],
    });
    expect(issues).toEqual([
      { path: 'url', expression: 'input.', kind: 'syntax', message: expect.any(String), offset: 13 },
      {
        path: 'headers.Authorization',
        expression: 'secrets.TOKEN',
        kind: 'syntax',
        message: 'Syntax error: "{{" without a matching "}}"',
        offset: 7,
      },
      { path: 'body[0]', expression: 'lenght(@)', kind: 'unknown-function', message: 'Unknown function: lenght()', offset: 3 },
      { path: 'body[1]', expression: 'foo[#]', kind: 'syntax', message: 'Syntax error: unknown character "#"', offset: 7 },
    ]);
  });

  it('reports an empty template as a syntax error', () => {
    expect(checkTemplate({ a: 'x {{ }} y' })).toMatchObject([{ path: 'a', expression: '', kind: 'syntax' }]);
  });
});
