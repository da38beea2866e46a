/** The smoke check's settings from the environment (flags take precedence: see main.ts). */
export function smokeEnv(): { url: string | undefined; key: string | undefined } {
  return { url: process.env.WEFT_SMOKE_URL, key: process.env.WEFT_SMOKE_KEY ?? process.env.WEFT_API_KEY };
}
