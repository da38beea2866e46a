import type { WeftClient } from '@weft/sdk';
import { runUntil } from './support/seed';
import { expect, test } from './support/fixtures';

// An emailed approve/reject link, opened signed out: the page shows what it will do (opening it
// decides nothing), the button decides once, and the other link of the approval then says why it
// no longer works. Emails land in the development mailbox (the backend has no SMTP).
test.use({ signedIn: false });

/** The approve and reject tokens of the newest mail to `to` in the development mailbox. */
async function linksFor(to: string): Promise<{ approve: string; reject: string }> {
  for (let i = 0; i < 300; i++) {
    const html = await (await fetch(`${process.env.WEFT_API_URL}/dev/mailbox`)).text();
    const article = html.split('<article>').find((a) => a.includes(`To <b>${to}</b>`));
    const approve = article && /Approve: <a href="[^"]*\/approve\/([A-Za-z0-9_-]{43})"/.exec(article)?.[1];
    const reject = article && /Reject: +<a href="[^"]*\/approve\/([A-Za-z0-9_-]{43})"/.exec(article)?.[1];
    if (approve && reject) return { approve, reject };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no approval email to ${to}`);
}

async function waitingRunWithNotice(api: WeftClient, tag: string, to: string) {
  const w = await api.createWorkflow({ name: `notify ${tag}` });
  await api.publishVersion(w.id, {
    nodes: [
      { id: 'trigger', type: 'trigger', config: {} },
      { id: 'approve', type: 'wait_for_approval', config: { prompt: 'Pay invoice {{ input.invoice }}?', assignees: { emails: [to] }, notify: { email: true } } },
      { id: 'pay', type: 'transform', config: { expression: "'paid'" } },
    ],
    edges: [{ source: 'trigger', target: 'approve' }, { source: 'approve', target: 'pay', sourceHandle: 'approved' }],
  });
  const { runId } = await api.createRun({ workflowId: w.id, inputs: { invoice: `INV-${tag}` } });
  return { runId, workflow: `notify ${tag}` };
}

test('an approve link opens a page that decides only on the button; the reject link then says the approval was decided', async ({ page, api }, info) => {
  const tag = info.testId.slice(0, 6);
  const to = `payer-${tag.toLowerCase()}@example.com`;
  const { runId, workflow } = await waitingRunWithNotice(api, tag, to);
  const links = await linksFor(to);

  await page.goto(`/approve/${links.approve}`);
  await expect(page.getByRole('heading', { name: 'Approve this request?' })).toBeVisible();
  await expect(page.getByTestId('approve-prompt')).toHaveText(`Pay invoice INV-${tag}?`);
  await expect(page.getByText(workflow)).toBeVisible();
  expect((await api.getRun(runId)).status).toBe('waiting');

  await page.getByLabel('Comment (optional)').fill('checked the PO');
  await page.getByTestId('approve').click();
  await expect(page.getByRole('heading', { name: 'Approved' })).toBeVisible();
  const run = await runUntil(api, runId, (r) => r.status === 'succeeded');
  expect(run.steps.find((s) => s.nodeId === 'pay')?.status).toBe('succeeded');

  await page.goto(`/approve/${links.reject}`);
  await expect(page.getByRole('heading', { name: 'This approval was already decided' })).toBeVisible();
  await page.goto(`/approve/${links.approve}`);
  await expect(page.getByRole('heading', { name: 'This link was already used' })).toBeVisible();
});
