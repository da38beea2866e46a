'use client';
import type { Workflow } from '@weft/workflow-schema';
import { api } from './api';
import { shortId } from './format';
import { usePage } from './use-page';

/** The org's workflows (first 200, the API's largest page) for names and filters; empty until loaded. */
export function useWorkflows(): { workflows: Workflow[]; nameOf: (id: string) => string } {
  const workflows = usePage(() => api.listWorkflows({ limit: 200 })).items ?? [];
  const names = new Map(workflows.map((w) => [w.id, w.name]));
  return { workflows, nameOf: (id) => names.get(id) ?? shortId(id) };
}
