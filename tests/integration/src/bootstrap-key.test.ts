import { describe, expect, it } from 'vitest';
import { generateApiKey } from '@weft/gateway';
import { createTestDatabase } from '@weft/testing';
import { startLoneGateway } from './lone-gateway';

const status = async (url: string, key: string) => (await fetch(`${url}/v1/workflows`, { headers: { authorization: `Bearer ${key}` } })).status;

describe('WEFT_BOOTSTRAP_API_KEY', () => {
  it('revokes the previous bootstrap key when a gateway boots with a new one on the same database', async () => {
    const database = await createTestDatabase();
    const [first, second] = [generateApiKey(), generateApiKey()];
    try {
      const boot1 = await startLoneGateway({ database, bootstrapKey: first });
      const other = await boot1.keyWithRole('admin'); // a key that is not a bootstrap key
      expect(await status(boot1.url, first)).toBe(200);
      await boot1.stop();

      // The same key again: idempotent, still valid.
      const again = await startLoneGateway({ database, bootstrapKey: first });
      expect(await status(again.url, first)).toBe(200);
      await again.stop();

      const boot2 = await startLoneGateway({ database, bootstrapKey: second });
      try {
        expect(await status(boot2.url, second)).toBe(200);
        expect(await status(boot2.url, first)).toBe(401);
        expect(await status(boot2.url, other)).toBe(200);
        const { rows } = await boot2.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_keys WHERE name = 'bootstrap' AND revoked_at IS NULL`);
        expect(rows[0]!.n).toBe(1);
      } finally {
        await boot2.stop();
      }

      // Going back to the revoked key is refused at boot, naming the variable: a revoked key stays revoked.
      await expect(startLoneGateway({ database, bootstrapKey: first })).rejects.toThrow(/WEFT_BOOTSTRAP_API_KEY was revoked/);
    } finally {
      await database.drop();
    }
  });
});
