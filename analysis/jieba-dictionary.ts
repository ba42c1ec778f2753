/**
 * Reads jieba's own dictionary (the file nodejieba loads), line by line over its bytes: the open-word
 * pass takes its adjectives and verbs from it (open-words.ts), and the segmenter the frequency jieba
 * gives a word, which its user dictionary must not lower (segment.ts).
 */
import { readFileSync } from 'node:fs';
import nodejieba from 'nodejieba';

const NEWLINE = 0x0a;
const SPACE = 0x20;

/** The path of the dictionary nodejieba loads by default. */
export function jiebaDictionaryPath(): string {
  return (nodejieba as unknown as { DEFAULT_DICT: string }).DEFAULT_DICT;
}

/** One `word frequency tag` line as offsets into the file's bytes (the object is reused per line). */
export interface DictionaryLine {
  bytes: Buffer;
  start: number;
  /** End of the word (the first space). */
  wordEnd: number;
  /** End of the frequency: the second space, or the line's end when the line has no tag. */
  freqEnd: number;
  end: number;
}

/**
 * Calls `visit` for each line of jieba's dictionary that holds a word and a frequency. The file is
 * read as bytes and nothing is decoded here: a caller makes strings of the few words it keeps only
 * (a split of the whole text would make 350,000 of them, and a peak of garbage in the heap).
 */
export function forEachDictionaryLine(visit: (line: DictionaryLine) => void, dictPath = jiebaDictionaryPath()): void {
  const bytes = readFileSync(dictPath);
  const line: DictionaryLine = { bytes, start: 0, wordEnd: 0, freqEnd: 0, end: 0 };
  let lineStart = 0;
  while (lineStart < bytes.length) {
    let lineEnd = bytes.indexOf(NEWLINE, lineStart);
    if (lineEnd < 0) lineEnd = bytes.length;
    const sp1 = bytes.indexOf(SPACE, lineStart);
    if (sp1 > lineStart && sp1 < lineEnd) {
      const sp2 = bytes.indexOf(SPACE, sp1 + 1);
      line.start = lineStart;
      line.wordEnd = sp1;
      line.freqEnd = sp2 < 0 || sp2 > lineEnd ? lineEnd : sp2;
      line.end = lineEnd;
      visit(line);
    }
    lineStart = lineEnd + 1;
  }
}

/**
 * jieba's frequency for each of `words` its dictionary lists (words it does not list are absent).
 * One pass over the file (about 350,000 lines, ~0.1 s).
 */
export function jiebaFrequencies(words: ReadonlySet<string>, dictPath = jiebaDictionaryPath()): Map<string, number> {
  const found = new Map<string, number>();
  if (!words.size) return found;
  forEachDictionaryLine(({ bytes, start, wordEnd, freqEnd }) => {
    const word = bytes.toString('utf8', start, wordEnd);
    if (!words.has(word)) return;
    const freq = Number(bytes.toString('latin1', wordEnd + 1, freqEnd));
    if (Number.isFinite(freq)) found.set(word, freq);
  }, dictPath);
  return found;
}
