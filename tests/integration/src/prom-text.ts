/** The value of the one sample of `name` carrying every label given (whatever their order), in Prometheus text. */
export function sample(body: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = body.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((w) => l.includes(w)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** The metric families a scrape declares (`# TYPE name kind`). */
export const families = (body: string): string[] => [...body.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!);
