import diff from 'microdiff';
import type { FieldChange } from '@weft/workflow-schema';
import { formatPath } from './paths';

type Plain = Record<string, unknown>;

/** Every leaf that differs between two JSON objects, with its nested path and old → new values. */
export function fieldChanges(from: Plain, to: Plain, prefix: (string | number)[] = []): FieldChange[] {
  return diff(from, to).map((d): FieldChange => {
    const path = formatPath([...prefix, ...d.path]);
    if (d.type === 'CREATE') return { path, change: 'added', to: d.value as never };
    if (d.type === 'REMOVE') return { path, change: 'removed', from: d.oldValue as never };
    return { path, change: 'changed', from: d.oldValue as never, to: d.value as never };
  });
}
