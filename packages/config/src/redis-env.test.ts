import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { baseEnv, parseEnv } from './index';

const schema = z.object(baseEnv);

describe('Redis settings', () => {
  it('reads REDIS_CLUSTER_NODES as a list of seed URLs, unset when blank', () => {
    expect(parseEnv(schema, {}).REDIS_CLUSTER_NODES).toBeUndefined();
    expect(parseEnv(schema, { REDIS_CLUSTER_NODES: ' ' }).REDIS_CLUSTER_NODES).toBeUndefined();
    expect(parseEnv(schema, { REDIS_CLUSTER_NODES: 'redis://10.0.0.1:7000, rediss://:pw@10.0.0.2:7001' }).REDIS_CLUSTER_NODES).toEqual(['redis://10.0.0.1:7000', 'rediss://:pw@10.0.0.2:7001']);
  });

  it('refuses a seed that is not a redis:// or rediss:// URL, naming the variable', () => {
    for (const bad of ['10.0.0.1:7000', 'http://10.0.0.1:7000', 'redis://a:1,nope']) {
      expect(() => parseEnv(schema, { REDIS_CLUSTER_NODES: bad })).toThrow(/REDIS_CLUSTER_NODES\.\d: each seed must be a redis:\/\/ or rediss:\/\/ URL/);
    }
  });

  it('refuses braces in WEFT_QUEUE_PREFIX (the queues add their own hash tags)', () => {
    expect(() => parseEnv(schema, { WEFT_QUEUE_PREFIX: '{weft}' })).toThrow(/WEFT_QUEUE_PREFIX: must not contain \{ or \}/);
    expect(parseEnv(schema, { WEFT_QUEUE_PREFIX: 'weft-eu' }).WEFT_QUEUE_PREFIX).toBe('weft-eu');
  });
});
