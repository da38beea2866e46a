import { newId, type Schedule } from '@weft/db';
import { CronSchedule, previewFires } from '@weft/schedule';
import type { CreateScheduleBody, UpdateScheduleBody } from '@weft/workflow-schema';
import { AppError, notFound } from '../../errors';
import type { Resources } from '../../resources';
import { inputsRefusal, resolveVersion } from '../runs/create-run';
import { storableJson } from '../runs/value-limits';
import { page } from '../workflows/workflows.service';

/**
 * The schedule's inputs checked against the trigger inputSchema of the workflow's latest published
 * version (the version its fires will run), as POST /v1/runs checks them; issues name `body.inputs…`.
 */
async function checkInputs(res: Resources, orgId: string, workflowId: string, inputs: Record<string, unknown>) {
  storableJson(res, inputs, 'body.inputs', 'the schedule inputs');
  const version = await resolveVersion(res, orgId, { workflowId });
  const refusal = inputsRefusal(version, inputs);
  if (refusal) throw new AppError(refusal.code, refusal.message, refusal.issues?.map((i) => ({ ...i, path: i.path.startsWith('inputs') ? `body.${i.path}` : i.path })));
}

/** The first fire strictly after `now`, or null (disabled, or the expression never fires again). */
function firstFire(cron: string, timezone: string, enabled: boolean, now: Date): Date | null {
  return enabled ? new CronSchedule(cron, timezone).after(now) : null;
}

export async function createSchedule(res: Resources, orgId: string, workflowId: string, body: CreateScheduleBody) {
  const inputs = body.inputs ?? {};
  await checkInputs(res, orgId, workflowId, inputs);
  return res.db.prisma.schedule.create({
    data: {
      id: newId(), orgId, workflowId, cron: body.cron.trim(), timezone: body.timezone, inputs: inputs as object,
      overlap: body.overlap, catchup: body.catchup, enabled: body.enabled,
      nextRunAt: firstFire(body.cron, body.timezone, body.enabled, new Date()),
    },
  });
}

export async function getSchedule(res: Resources, orgId: string, id: string): Promise<Schedule> {
  const s = await res.db.prisma.schedule.findFirst({ where: { id, orgId } });
  if (!s) throw notFound('schedule', id);
  return s;
}

export async function listSchedules(res: Resources, orgId: string, workflowId: string, q: { limit: number; cursor?: string | undefined }) {
  const w = await res.db.prisma.workflow.findFirst({ where: { id: workflowId, orgId }, select: { id: true } });
  if (!w) throw notFound('workflow', workflowId);
  const items = await res.db.prisma.schedule.findMany({
    where: { orgId, workflowId, ...(q.cursor ? { id: { lt: q.cursor } } : {}) },
    orderBy: { id: 'desc' },
    take: q.limit + 1,
  });
  return page(items, q.limit);
}

/** The org's schedules, newest first (of one workflow when `workflowId` is given). */
export async function listOrgSchedules(res: Resources, orgId: string, q: { limit: number; cursor?: string | undefined; workflowId?: string | undefined }) {
  const items = await res.db.prisma.schedule.findMany({
    where: { orgId, ...(q.workflowId ? { workflowId: q.workflowId } : {}), ...(q.cursor ? { id: { lt: q.cursor } } : {}) },
    orderBy: { id: 'desc' },
    take: q.limit + 1,
  });
  return page(items, q.limit);
}

/** The next fires of an expression in a zone (both already checked by the query schema): a form's preview, nothing stored. */
export function previewExpression(q: { cron: string; timezone: string; count: number; from?: string | undefined }) {
  const cron = q.cron.trim();
  return { cron, timezone: q.timezone, fires: previewFires(new CronSchedule(cron, q.timezone), q.from ? new Date(q.from) : new Date(), q.count) };
}

/**
 * Changes a schedule. A new cron, zone or enabling it again starts counting from now (fires that
 * were due before are not replayed); disabling it drops a buffered fire. Runs already started are
 * not touched. The row is locked, so a scheduler tick never sees half of a change.
 */
export async function updateSchedule(res: Resources, orgId: string, id: string, body: UpdateScheduleBody) {
  const current = await getSchedule(res, orgId, id);
  if (body.inputs !== undefined) await checkInputs(res, orgId, current.workflowId, body.inputs);
  const cron = body.cron?.trim() ?? current.cron;
  const timezone = body.timezone ?? current.timezone;
  const enabled = body.enabled ?? current.enabled;
  const retime = cron !== current.cron || timezone !== current.timezone || enabled !== current.enabled;
  const { count } = await res.db.prisma.schedule.updateMany({
    where: { id, orgId },
    data: {
      cron, timezone, enabled,
      ...(body.inputs !== undefined ? { inputs: body.inputs as object } : {}),
      ...(body.overlap ? { overlap: body.overlap } : {}),
      ...(body.catchup ? { catchup: body.catchup } : {}),
      ...(retime ? { nextRunAt: firstFire(cron, timezone, enabled, new Date()) } : {}),
      ...(!enabled || body.overlap ? { bufferedAt: null } : {}),
      updatedAt: new Date(),
    },
  });
  if (count === 0) throw notFound('schedule', id);
  return getSchedule(res, orgId, id);
}

/** Deletes a schedule and its fire history; the runs it started stay (their triggerId names it). */
export async function deleteSchedule(res: Resources, orgId: string, id: string) {
  await res.db.prisma.$transaction(async (tx) => {
    const { count } = await tx.schedule.deleteMany({ where: { id, orgId } });
    if (count === 0) throw notFound('schedule', id);
    await tx.scheduleFire.deleteMany({ where: { scheduleId: id, orgId } });
  });
}

export async function previewSchedule(res: Resources, orgId: string, id: string, q: { count: number; from?: string | undefined }) {
  const s = await getSchedule(res, orgId, id);
  const fires = previewFires(new CronSchedule(s.cron, s.timezone), q.from ? new Date(q.from) : new Date(), q.count);
  return { scheduleId: s.id, cron: s.cron, timezone: s.timezone, fires };
}

/** A page of the schedule's fires, newest first. */
export async function listFires(res: Resources, orgId: string, id: string, q: { limit: number; cursor?: string | undefined }) {
  await getSchedule(res, orgId, id);
  const items = await res.db.prisma.scheduleFire.findMany({
    where: { orgId, scheduleId: id, ...(q.cursor ? { id: { lt: q.cursor } } : {}) },
    orderBy: { id: 'desc' },
    take: q.limit + 1,
  });
  return page(items, q.limit);
}
