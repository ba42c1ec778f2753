/**
 * A YAML parse error of a user's file as one line: the parser's reason (quoted in its own English),
 * where it is, and that line's text. The parser's own message spans several lines (a code frame
 * after "at line 5, column 1:"), so its first line alone ends on a dangling colon.
 */
import type { Bilingual } from './errors.js';

/** The longest stretch of a line quoted in an error (a minified JSON file has very long lines). */
const MAX_QUOTED = 80;

export function describeYamlError(err: unknown, text: string): Bilingual {
  const message = err instanceof Error ? err.message : String(err);
  const pos = (err as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
  const reason = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').replace(/:$/, '');
  if (!pos) return { en: reason, zh: reason };
  const lines = text.split(/\r?\n/);
  const raw = lines[pos.line - 1];
  // A problem found at the end of the file (an unclosed quote or bracket) names the last line written.
  const shown = raw !== undefined && raw.trim() !== '' ? raw.trim() : undefined;
  const quoted = shown === undefined ? undefined : JSON.stringify(shown.length > MAX_QUOTED ? `${shown.slice(0, MAX_QUOTED)}…` : shown);
  return {
    en: `line ${pos.line}, column ${pos.col}: ${reason}${quoted ? ` (the line reads ${quoted})` : ' (at the end of the file)'}`,
    zh: `第 ${pos.line} 行第 ${pos.col} 列：${reason}${quoted ? `（该行内容为 ${quoted}）` : '（位于文件末尾）'}`,
  };
}
