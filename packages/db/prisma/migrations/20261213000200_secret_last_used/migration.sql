-- "Last used by which workflow" on the dashboard's secrets page: the newest `secret.used` audit
-- entry of each secret (the executor writes one per step that resolves it) is one index probe
-- per listed secret, newest first, however many uses a secret has had.
CREATE INDEX "audit_logs_secret_used_idx" ON "audit_logs" ("org_id", "target_id", "id") WHERE "action" = 'secret.used';
