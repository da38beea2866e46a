/** The database commands' settings (migrate, backup, restore). */
export function migrateEnv(): { databaseUrl: string | undefined; path: string | undefined } {
  return { databaseUrl: process.env.DATABASE_URL, path: process.env.PATH };
}

/** Ids of the key-encryption keys configured here (WEFT_KEKS: `id:base64,…`); only the ids are read. */
export function keyIdsEnv(): string[] {
  return (process.env.WEFT_KEKS ?? '').split(',').map((pair) => pair.split(':')[0]!.trim()).filter(Boolean);
}
