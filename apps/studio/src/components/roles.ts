import type { Role } from '@weft/workflow-schema';

/** One line per role, for the role pickers of keys and members (the matrix itself is @weft/workflow-schema's). */
export const ROLE_HINTS: Record<Role, string> = {
  viewer: 'reads everything, changes nothing',
  operator: 'also starts, cancels, approves and retries runs',
  editor: 'also creates, edits and publishes workflows',
  admin: 'also manages secrets, keys, schedules and members',
  owner: 'also deletes the org',
};
