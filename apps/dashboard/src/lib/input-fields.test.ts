import { describe, expect, it } from 'vitest';
import { inputFields, inputsOf } from './input-fields';

const SCHEMA = {
  type: 'object',
  required: ['amount'],
  properties: { amount: { type: 'integer' }, reason: { type: 'string', description: 'Why' }, urgent: { type: 'boolean' }, items: { type: 'array' } },
};

describe('the run-now form', () => {
  it('has a field per input property, typed from the schema', () => {
    expect(inputFields(SCHEMA)).toEqual([
      { name: 'amount', kind: 'number', required: true },
      { name: 'reason', kind: 'string', required: false, description: 'Why' },
      { name: 'urgent', kind: 'boolean', required: false },
      { name: 'items', kind: 'json', required: false },
    ]);
    expect(inputFields(undefined)).toEqual([]);
  });

  it('turns the typed text into inputs, leaving empty fields out', () => {
    const fields = inputFields(SCHEMA);
    expect(inputsOf(fields, { amount: '40', reason: '', urgent: true, items: '[1,2]' })).toEqual({ amount: 40, urgent: true, items: [1, 2] });
    expect(() => inputsOf(fields, { items: '[1,' })).toThrow('items: not valid JSON');
  });
});
