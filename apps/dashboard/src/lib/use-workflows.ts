'use client';
import type { Workflow } from '@weft/workflow-schema';
import { useEffect, useState } from 'react';
import { api } from './api';
import { shortId } from './format';

/** The org's workflows (first 200, the API's largest page) for names and filters; empty until loaded. */
export function useWorkflows(): { workflows: Workflow[]; nameOf: (id: string) => string } {
  const [workflows, setWorkflows] = useState<Workflow[]>([]);
  useEffect(() => {
    let live = true;
    api.listWorkflows({ limit: 200 }).then((p) => live && setWorkflows(p.items), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  const names = new Map(workflows.map((w) => [w.id, w.name]));
  return { workflows, nameOf: (id) => names.get(id) ?? shortId(id) };
}
