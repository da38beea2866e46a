import pg from 'pg';

/** A delivery row of the hook as the ingress logs it (status, reason…), straight in SQL: for screens that list deliveries. */
export async function seedWebhookDelivery(databaseUrl: string, webhookId: string, d: { status: 'accepted' | 'refused'; httpStatus: number; reason?: string }): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO webhook_deliveries (id, org_id, webhook_id, status, verified, http_status, reason, inputs)
       SELECT gen_random_uuid(), org_id, id, $2, $2 = 'accepted', $3, $4, '{}' FROM webhooks WHERE id = $1`,
      [webhookId, d.status, d.httpStatus, d.reason ?? null],
    );
  } finally {
    await client.end();
  }
}
