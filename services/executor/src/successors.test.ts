import { describe, expect, it } from 'vitest';
import { successorsOf } from './start';

const ORG_OFF = 'org-with-the-flag-off';
const flags = { enabled: (orgId: string) => orgId !== ORG_OFF };

describe("Whether a finished for_each item starts the next one in the executor", () => {
  it('follows the org\'s feature flag, unless WEFT_ITERATION_SUCCESSORS turns it off for everyone', () => {
    const perOrg = successorsOf({ flags });
    expect(typeof perOrg === 'function' && perOrg('any-org')).toBe(true);
    expect(typeof perOrg === 'function' && perOrg(ORG_OFF)).toBe(false);
    expect(successorsOf({ flags, iterationSuccessors: false })).toBe(false);
    expect(successorsOf({})).toBe(true);
  });
});
