/** Poppler command-line tools and a raw look inside PDFs, for the report tests. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

export function pdfText(path: string): string {
  return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
}

/** pdftotext breaks lines and spaces CJK text freely: compare with all whitespace removed. */
export function squeeze(text: string): string {
  return text.replace(/\s+/g, '');
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
}

export function pdfFonts(path: string): PdfFont[] {
  const out = execFileSync('pdffonts', [path], { encoding: 'utf8' });
  return out
    .split('\n')
    .slice(2)
    .filter((line) => line.trim())
    .map((line) => {
      // name (col 0-36), type (37-54), encoding (55-71), emb sub uni object ID
      const cells = line.slice(72).trim().split(/\s+/);
      return { name: line.slice(0, 36).trim(), type: line.slice(37, 54).trim(), embedded: cells[0] === 'yes' };
    });
}

/** The PDF's bytes with every Flate stream inflated, as latin1 text (for font descriptors, outlines). */
export function pdfObjects(path: string): string {
  const raw = readFileSync(path);
  const parts = [raw.toString('latin1')];
  let at = 0;
  for (;;) {
    const start = raw.indexOf('stream', at, 'latin1');
    if (start < 0) break;
    let body = start + 'stream'.length;
    if (raw[body] === 0x0d) body++;
    if (raw[body] === 0x0a) body++;
    const end = raw.indexOf('endstream', body, 'latin1');
    if (end < 0) break;
    try {
      parts.push(inflateSync(raw.subarray(body, end)).toString('latin1'));
    } catch {
      // Not a Flate stream (or an image): nothing to read.
    }
    at = end + 'endstream'.length;
  }
  return parts.join('\n');
}

/** Titles of the PDF outline (bookmarks), decoded (Chromium writes them as UTF-16BE hex strings). */
export function pdfOutlineTitles(path: string): string[] {
  const objects = pdfObjects(path);
  return [...objects.matchAll(/\/Title\s*<([0-9A-Fa-f]+)>/g)].map((m) => {
    const bytes = Buffer.from(m[1]!, 'hex');
    const body = bytes[0] === 0xfe && bytes[1] === 0xff ? bytes.subarray(2) : bytes;
    return body.swap16().toString('utf16le');
  });
}

/** Named destinations that link annotations point to (`/Dest /summary`): the clickable internal links. */
export function pdfLinkDestinations(path: string): string[] {
  return [...pdfObjects(path).matchAll(/\/Dest\s*\/([A-Za-z0-9_.-]+)/g)].map((m) => m[1]!);
}

/** The text of each page (pdftotext per page). */
export function pdfPages(path: string): string[] {
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))![1]);
  return Array.from({ length: pages }, (_, i) =>
    execFileSync('pdftotext', ['-layout', '-f', String(i + 1), '-l', String(i + 1), path, '-'], { encoding: 'utf8' }),
  );
}
