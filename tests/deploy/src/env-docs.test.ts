import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, no types
import { envVariables } from '../../../scripts/build/env-table.mjs';

const deployGuide = readFileSync(new URL('../../../docs/deploy.md', import.meta.url), 'utf8');

describe('docs/deploy.md', () => {
  it('documents every environment variable the services and apps read', () => {
    const names = [...(envVariables() as Map<string, unknown>).keys()];
    expect(names.length).toBeGreaterThan(50);
    expect(names.filter((n) => !deployGuide.includes(`\`${n}\``))).toEqual([]);
  });
});
