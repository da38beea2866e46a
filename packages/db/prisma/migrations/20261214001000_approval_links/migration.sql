-- Approve/reject links of approvals with `notify` (issue 16, docs/approvals.md): one message row
-- per recipient of a waiting approval step (sent once), and its two links, stored as SHA-256
-- hashes of random tokens only: single-use, expiring, and dead once the approval is decided.

-- CreateTable
CREATE TABLE "approval_messages" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "step_id" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "approval_messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "approval_links" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "message_id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "step_id" UUID NOT NULL,
    "node_id" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "decision" TEXT NOT NULL,
    "token_hash" BYTEA NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "approval_links_pkey" PRIMARY KEY ("id")
);

-- One message per recipient and channel of a step: a repeated job sends nothing twice.
CREATE UNIQUE INDEX "approval_messages_step_id_channel_recipient_key" ON "approval_messages"("step_id", "channel", "recipient");
CREATE UNIQUE INDEX "approval_links_token_hash_key" ON "approval_links"("token_hash");
CREATE INDEX "approval_links_step_id_idx" ON "approval_links"("step_id");
CREATE INDEX "approval_links_message_id_idx" ON "approval_links"("message_id");
-- No foreign keys, as everywhere in this schema.

-- Row-level security, as every org-owned table (20261212000300_row_level_security).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['approval_messages', 'approval_links'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY weft_org_isolation ON %I USING (org_id = weft_current_org()) WITH CHECK (org_id = weft_current_org())', t);
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'weft_maintenance') THEN
      EXECUTE format('CREATE POLICY weft_maintenance_all ON %I TO weft_maintenance USING (true) WITH CHECK (true)', t);
    END IF;
  END LOOP;
END $$;
