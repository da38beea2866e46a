-- Connections (issue 17): OAuth 2.0 credentials that refresh. A connection holds an app's client
-- id (clear) and, in one envelope encrypted like secret_versions (AAD: org, the connection, its
-- credential_version), the app's client secret and the connected account's tokens. Every change
-- of the envelope (connect, refresh) is a new credential_version. oauth_states are the pending
-- authorization requests: single-use (used_at), expiring, bound to org, user and connection.

-- CreateTable
CREATE TABLE "oauth_connections" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "scopes" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "status_reason" TEXT,
    "account" TEXT NOT NULL DEFAULT '',
    "credential_version" INTEGER NOT NULL DEFAULT 1,
    "ciphertext" BYTEA NOT NULL,
    "nonce" BYTEA NOT NULL,
    "wrapped_key" BYTEA NOT NULL,
    "kek_id" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3),
    "connected_at" TIMESTAMPTZ(3),
    "refreshed_at" TIMESTAMPTZ(3),
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_connections_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oauth_states" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "connection_id" UUID NOT NULL,
    "user_id" TEXT NOT NULL,
    "kek_id" TEXT NOT NULL,
    "return_to" TEXT NOT NULL DEFAULT '',
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_states_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "oauth_connections_org_id_name_key" ON "oauth_connections"("org_id", "name");

-- CreateIndex
CREATE INDEX "oauth_connections_kek_id_idx" ON "oauth_connections"("kek_id");

-- CreateIndex
CREATE INDEX "oauth_states_connection_id_idx" ON "oauth_states"("connection_id");

-- CreateIndex
CREATE INDEX "oauth_states_expires_at_idx" ON "oauth_states"("expires_at");

-- Row-level security, as 20261212000300_row_level_security does for every org-owned table.
-- The table rights of weft_app / weft_maintenance come from that migration's default privileges;
-- granted again here for databases whose tables were created by another role.
DO $$
DECLARE
  t text;
  r text;
BEGIN
  FOREACH t IN ARRAY ARRAY['oauth_connections', 'oauth_states'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY weft_org_isolation ON %I USING (org_id = weft_current_org()) WITH CHECK (org_id = weft_current_org())', t);
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'weft_maintenance') THEN
      EXECUTE format('CREATE POLICY weft_maintenance_all ON %I TO weft_maintenance USING (true) WITH CHECK (true)', t);
    END IF;
    FOREACH r IN ARRAY ARRAY['weft_app', 'weft_maintenance'] LOOP
      CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r);
      EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE %I TO %I', t, r);
    END LOOP;
  END LOOP;
END $$;
