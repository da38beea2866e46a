import { setRunTraceparent } from '@weft/integration-tests/seed-run-rows';
import { expect, test } from './support/fixtures';

// global-setup.ts starts the dashboard with WEFT_TRACE_URL_TEMPLATE=http://traces.example.test/trace/{traceId}.
test("a traced run shows its trace id linked to the trace viewer, and its waterfall's queue wait and execution", async ({ page, seeded }) => {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  await setRunTraceparent(process.env.WEFT_TEST_DATABASE_URL!, seeded.succeeded.id, `00-${traceId}-00f067aa0ba902b7-01`);
  await page.goto(`/runs/${seeded.succeeded.id}`);
  await expect(page.getByTestId('trace-id')).toHaveText(traceId);
  await expect(page.getByTestId('trace-link')).toHaveAttribute('href', `http://traces.example.test/trace/${traceId}`);
  const totals = page.getByTestId('timeline-totals');
  await expect(totals).toContainText('queue wait');
  await expect(totals).toContainText('execution');
  await expect(page.getByTestId('timeline-bar').first().locator('.bar-run')).toHaveCount(1);

  // A run started while tracing was off has no trace to show.
  await page.goto(`/runs/${seeded.failed.id}`);
  await expect(page.getByTestId('timeline-bar').first()).toBeVisible();
  await expect(page.getByTestId('trace')).toHaveCount(0);
});
