/**
 * Spam: templated reviews (默认好评, 此用户没有填写评价, 好评好评好评) and advertising (a marker such as
 * 加微信/代购 together with contact details). Near-duplicates are the crawler's and store's job.
 */
import type { Hit, TermTable } from './terms.js';

const PHONE = /(?<!\d)1[3-9]\d{9}(?!\d)|(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)|(?<!\d)400-?\d{3}-?\d{4}(?!\d)/;
const IM_ID = /(?:qq|微信|vx|v信|wx|薇信|威信|v)[\s:：号是]*[a-z0-9][-_a-z0-9]{4,19}/;

export interface SpamRules {
  minRepeats: number;
  maxRepeatUnit: number;
}

/** True when the post is a template or an advertisement. */
export function isSpam(text: string, hits: Hit[], table: TermTable, urls: number, rules: SpamRules): boolean {
  let ad = false;
  for (const h of hits) {
    const r = table.spam[h.role]!;
    if (r.template) return true;
    if (r.ad) ad = true;
  }
  if (ad && (urls > 0 || PHONE.test(text) || IM_ID.test(text))) return true;
  return isRepetition(text, rules);
}

/** Only short posts can be a repeated template; longer ones are not worth the scan. */
const MAX_TEMPLATE_LENGTH = 80;

/** 好评好评好评 / 好好好好好: the letters (Han, Latin, digits) are one short unit repeated. */
function isRepetition(text: string, rules: SpamRules): boolean {
  if (text.length > MAX_TEMPLATE_LENGTH) return false;
  const codes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57)) codes.push(c);
  }
  const n = codes.length;
  if (n < rules.minRepeats) return false;
  for (let unit = 1; unit <= rules.maxRepeatUnit && unit * rules.minRepeats <= n; unit++) {
    if (n % unit !== 0) continue;
    let periodic = true;
    for (let i = unit; i < n && periodic; i++) periodic = codes[i] === codes[i % unit];
    if (periodic) return true;
  }
  return false;
}
