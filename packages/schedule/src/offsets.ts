const formats = new Map<string, Intl.DateTimeFormat>();

function format(timezone: string): Intl.DateTimeFormat {
  let f = formats.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone, hourCycle: 'h23', timeZoneName: 'longOffset',
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formats.set(timezone, f);
  }
  return f;
}

/** The zone's UTC offset at instant `t`, in minutes east of UTC. */
export function offsetMinutes(t: Date, timezone: string): number {
  const name = format(timezone).formatToParts(t).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!m?.[1]) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -minutes : minutes;
}

/** `+02:00`, `-05:00`, `+00:00`. */
export function offsetText(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** `t` in the zone's wall clock with its offset, ISO 8601: `2026-03-29T03:00:00+02:00`. */
export function localIso(t: Date, timezone: string): string {
  const parts = Object.fromEntries(format(timezone).formatToParts(t).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offsetText(offsetMinutes(t, timezone))}`;
}

/**
 * Whether the wall time of `t` occurs twice in the zone (the repeated hour of a fall back), and
 * which pass `t` is: the same wall time exists at another instant with the other offset.
 */
export function repeatedPass(t: Date, timezone: string): 'first' | 'second' | null {
  const own = offsetMinutes(t, timezone);
  for (const probe of [-3, 3]) {
    const other = offsetMinutes(new Date(t.getTime() + probe * 3_600_000), timezone);
    if (other === own) continue;
    const twin = new Date(t.getTime() + (own - other) * 60_000);
    if (twin.getTime() !== t.getTime() && offsetMinutes(twin, timezone) === other) return twin > t ? 'first' : 'second';
  }
  return null;
}
