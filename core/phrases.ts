/**
 * The Chinese of the English messages our schemas give zod. zod keeps one message per check, the
 * English; `phrase(en, zh)` records the pair where the schema is written and returns the English,
 * and `phraseZh` finds the Chinese again when an issue is described. One registry for every schema
 * (config, report config, gold files, category maps), so the pair cannot drift apart.
 */
const ZH = new Map<string, string>();

export function phrase(en: string, zh: string): string {
  ZH.set(en, zh);
  return en;
}

/** The Chinese recorded for `en`, if a schema recorded one. */
export function phraseZh(en: string): string | undefined {
  return ZH.get(en);
}
