import { expect, openWorkflow, test } from './support/fixtures';

const definition = {
  nodes: [
    { id: 'trigger', type: 'trigger', config: {}, position: { x: 0, y: 80 } },
    { id: 'echo', type: 'transform', config: { expression: 'input' }, position: { x: 300, y: 80 } },
  ],
  edges: [{ source: 'trigger', target: 'echo' }],
};

test('a creator schedules a published workflow from the workflow panel: the next fires show as they type, bad cron is explained, then pause and delete', async ({ page, api }) => {
  test.slow(); // many steps in one walk
  const wf = await api.createWorkflow({ name: 'Scheduled', definition });
  await api.publishVersion(wf.id);
  await openWorkflow(page, wf.id);
  const section = page.getByTestId('schedules');
  await expect(section).toContainText('No schedule');

  await section.getByTestId('add-schedule').click();
  const form = section.getByRole('form', { name: 'New schedule' });
  await form.getByLabel('Cron').fill('every day');
  await expect(form.getByTestId('schedule-problem')).toContainText('The cron expression');
  await expect(form.getByTestId('create-schedule')).toBeDisabled();

  await form.getByRole('button', { name: 'Weekdays at 09:00' }).click();
  await expect(form.getByLabel('Cron')).toHaveValue('0 9 * * 1-5');
  await form.getByLabel('Time zone').selectOption('Europe/Berlin');
  await expect(form.getByTestId('schedule-preview').locator('li')).toHaveCount(5);
  // Weekdays only, at 09:00 Berlin time.
  for (const text of await form.getByTestId('schedule-preview').locator('li').allTextContents()) expect(text).toMatch(/ 09:00:00/);
  await form.getByLabel('When the previous run is still going').selectOption('buffer_one');
  await form.getByTestId('create-schedule').click();

  await expect(section.getByRole('form', { name: 'New schedule' })).toHaveCount(0);
  const [created] = (await api.listSchedules(wf.id)).items;
  expect(created).toMatchObject({ cron: '0 9 * * 1-5', timezone: 'Europe/Berlin', overlap: 'buffer_one', catchup: 'latest', enabled: true });
  const item = section.getByTestId(`schedule-${created!.id}`);
  await expect(item).toContainText('Next:');

  await item.getByLabel('Schedule 0 9 * * 1-5 enabled').uncheck();
  await expect(item).toContainText('Paused');
  await expect.poll(async () => (await api.getSchedule(created!.id)).enabled).toBe(false);

  page.once('dialog', (d) => void d.accept());
  await item.getByRole('button', { name: 'Delete schedule 0 9 * * 1-5' }).click();
  await expect(section).toContainText('No schedule');
  expect((await api.listSchedules(wf.id)).items).toEqual([]);
});

test('a workflow never published cannot be scheduled, and the panel says so', async ({ page, api }) => {
  const wf = await api.createWorkflow({ name: 'Draft only', definition });
  await openWorkflow(page, wf.id);
  const section = page.getByTestId('schedules');
  await section.getByTestId('add-schedule').click();
  await section.getByTestId('create-schedule').click();
  await expect(section.getByRole('alert')).toContainText(/published version/);
  expect((await api.listSchedules(wf.id)).items).toEqual([]);
});
