/**
 * JSON for standard output. JSON.stringify leaves C1 controls, line and paragraph separators and
 * bidirectional overrides raw inside strings, and crawled text may hold them (a post, a site's error
 * message, a report quote): `voc … --json | jq -r` would then hand them to a terminal as they are.
 * Escaped as \uXXXX they are the same JSON for every parser.
 */
const UNSAFE = /[\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function jsonText(value: unknown, replacer?: ((key: string, value: unknown) => unknown) | null, space?: number): string {
  return JSON.stringify(value, replacer ?? undefined, space).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
