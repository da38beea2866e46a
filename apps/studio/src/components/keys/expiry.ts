/** The expiry choices of a new key: a duration from now, none, or a date picked by hand. */
export const EXPIRY_CHOICES = [
  { value: 'never', label: 'Never' },
  { value: '7', label: 'In 7 days' },
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
  { value: 'date', label: 'On a date…' },
] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number]['value'];

/**
 * The `expiresAt` to send for a choice (undefined: no expiry), or an error to show: a picked date
 * must be in the future (the key stops working at the end of that day, local time).
 */
export function expiresAtOf(choice: ExpiryChoice, date: string, now = new Date()): { expiresAt?: string; error?: string } {
  if (choice === 'never') return {};
  if (choice !== 'date') return { expiresAt: new Date(now.getTime() + Number(choice) * 86_400_000).toISOString() };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return { error: 'Pick a date' };
  const end = new Date(`${date}T23:59:59`);
  if (Number.isNaN(end.getTime())) return { error: 'Pick a date' };
  if (end <= now) return { error: 'The date must be in the future' };
  return { expiresAt: end.toISOString() };
}

/** When a key expires, as a short phrase: "never", "expired", or the local date and time. */
export function expiryLabel(expiresAt: string | null, now = new Date()): string {
  if (!expiresAt) return 'Never';
  const at = new Date(expiresAt);
  return at <= now ? 'Expired' : at.toLocaleString();
}
