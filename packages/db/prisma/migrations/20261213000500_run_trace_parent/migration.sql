-- Tracing (docs/operating/traces.md): the W3C traceparent of the span that started a run (the
-- `POST /v1/runs` request, the webhook delivery, the schedule fire), so that the orchestrator's
-- transitions and the executor's steps of the run, in other processes and later, join its trace.
-- Null when tracing was off at the start. Child and iteration runs copy their parent's. An id, never data.
ALTER TABLE "runs" ADD COLUMN "trace_parent" TEXT;
