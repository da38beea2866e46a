-- The reconciler's pass over alert deliveries still to send (status pending), in id order: a
-- delivery enters it when written and leaves it when delivered or failed.
CREATE INDEX "alert_deliveries_pending_idx" ON "alert_deliveries"("id") WHERE status = 'pending';
