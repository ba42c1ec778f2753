/**
 * Personal data that customers paste into public posts (phone numbers, e-mail addresses,
 * Chinese ID-card numbers) is replaced before the text is stored: voc analyses opinions, it has
 * no use for contact details, and not storing them is the simplest way to not leak them.
 */

// Order matters: an ID-card number contains digit runs that could look like a phone number.
// Each rule has a cheap guard: most posts hold no digits or no '@', and the e-mail pattern in
// particular is costly to run over long texts without one.
const RULES: Array<[RegExp, string, (text: string) => boolean]> = [
  // Resident ID: 6-digit area, birth date 18xx/19xx/20xx, 3-digit sequence, check digit or X.
  [/(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g, '[身份证]', (t) => /\d{17}/.test(t)],
  [/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, '[邮箱]', (t) => t.includes('@')],
  // Mobile: optional +86 / 0086, 1[3-9] and 9 digits, optionally split 3-4-4 by spaces or dashes.
  [/(?<![\d+])(?:(?:\+|00)86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/g, '[电话]', (t) => /\d{3}/.test(t)],
  // Landline: area code 0xx / 0xxx (optionally in brackets), 7-8 digits, optional extension.
  [/(?<!\d)(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}[ -]?)[2-9]\d{6,7}(?:(?:转|-|ext\.?)\d{1,5})?(?!\d)/g, '[电话]', (t) => /\d{7}/.test(t)],
];

/**
 * Replaces phone numbers, e-mail addresses and ID-card numbers with `[电话]`, `[邮箱]`, `[身份证]`.
 *
 * @example redactPersonalData('加我微信 13812345678 或 me@qq.com') // '加我微信 [电话] 或 [邮箱]'
 */
export function redactPersonalData(text: string): string {
  let out = text;
  for (const [pattern, replacement, worthTrying] of RULES) if (worthTrying(out)) out = out.replace(pattern, replacement);
  return out;
}
