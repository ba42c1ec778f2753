/**
 * Stance idioms that single out a touchpoint the rest of the review does not judge that way: the one
 * star a one-star review awards (一星是给快递小哥的) and the touchpoint a customer chooses, advises or
 * forgives (以后还是去实体店吧, 建议到实体店买, 看在快递小哥的份上).
 */
import type { Mention } from './channels.js';
import type { Structure } from './clauses.js';
import type { Judgement } from './judgement.js';

/**
 * A touchpoint named as where the customer will buy from now on (以后的水果就在京东买了, 以后还是去实体店吧,
 * 下次还在京东买, 以后就认准京东了, 现在都在京东买了), or as where the review advises buying (还是去实体店买好,
 * 建议生鲜果品到实体店), or as what the review forgives for (看在快递小哥的份上就算了): one praising judgement
 * of it. The choice opens the clause and ends it with the purchase; a negation in between (以后再也不在
 * 京东买了) is no choice, and neither is a clause that goes on (以后在京东买东西要小心) or a question
 * (以后还能在京东买吗？). Advice needs its advising tail (还是去实体店买吧/好): 还是在京东买了 tells a past
 * purchase.
 */
export function chosenTouchpoints(text: string, mentions: readonly Mention[], st: Structure, inQuestion: (pos: number) => boolean): Judgement[] {
  if (!mentions.length) return NO_JUDGEMENTS;
  // Where the openers are, found in one scan: most posts have none, and a mention needs one before it
  // in its clause before any per-mention work.
  let openers: number[] | undefined;
  CHOICE_WORD.lastIndex = 0;
  for (let hit = CHOICE_WORD.exec(text); hit; hit = CHOICE_WORD.exec(text)) (openers ??= []).push(hit.index);
  if (!openers) return NO_JUDGEMENTS;
  let out: Judgement[] | undefined;
  for (const m of mentions) {
    if (m.kind !== 'entity' || m.comparison) continue;
    const clause = st.clauses[m.clause]!;
    if (!openers.some((o) => o >= clause.start && o < m.start) || inQuestion(m.start)) continue;
    const head = text.slice(clause.start, m.start);
    const tail = text.slice(m.end, clause.end);
    let before: RegExpExecArray | null = null;
    for (const [opener, after] of CHOICE_FORMS) {
      const hit = opener.exec(head);
      if (hit && after.test(tail)) {
        before = hit;
        break;
      }
    }
    if (!before) continue;
    if (out?.some((j) => j.clause === m.clause)) continue;
    (out ??= []).push({ value: 1, pos: m.start, start: clause.start + before.index, end: clause.end, clause: m.clause, channels: [m.channel], aspects: [], choice: true });
  }
  return out ?? NO_JUDGEMENTS;
}
const CHOICE_WORD = /以后|今后|往后|下次|从此|现在|还是|建议|千万|最好|看在/g;
const NO_JUDGEMENTS: Judgement[] = [];
const CHOICE_BEFORE = /(以后|今后|往后|下次|从此|从今以后)[^，。！？,.!?;；不没别]{0,8}?(都|就|还是|只|也|还|会|要|得|再|果断|认准|首选|选择)*(在|上|去|到|来|找)?$/;
const CHOICE_AFTER = /^(上|里|那里|那儿)?(买|购买|购物|网购|下单|买东西|看看)?(了|吧|啦|呀|啊|哦|咯|的)*\s*$/;
// The present habit needs its purchase verb (现在都在京东买了; not 现在京东就剩物流了).
const HABIT_BEFORE = /现在[^，。！？,.!?;；不没别]{0,8}?(都|只|就|一直|基本|全)+(在|上|去|到)$/;
const HABIT_AFTER = /^(上|里)?(买|购买|购物|网购|下单|买东西)(了|吧|啦|的)*\s*$/;
const ADVICE_BEFORE = /(还是|建议|千万|最好)[^，。！？,.!?;；不没别]{0,8}?(去|到|在|上)$/;
const ADVICE_AFTER = /^(上|里)?(买|购买)?(吧|好|比较好|更好|靠谱|放心)(吧|啊|呀|的)*\s*$|^\s*$/;
const FORGIVEN_BEFORE = /看在[^，。！？,.!?;；]{0,4}$/;
const FORGIVEN_AFTER = /^(的)?(份上|份儿上|面子上|面子)/;
/** Each form of choice: the clause head before the touchpoint, and what may follow it. */
const CHOICE_FORMS: ReadonlyArray<readonly [RegExp, RegExp]> = [
  [CHOICE_BEFORE, CHOICE_AFTER],
  [HABIT_BEFORE, HABIT_AFTER],
  [ADVICE_BEFORE, ADVICE_AFTER],
  [FORGIVEN_BEFORE, FORGIVEN_AFTER],
];

/** The offset after 给 when it follows a low rating at `from` (一星给, 一星是给, 一颗星都是给), else -1. */
export function awardedFrom(text: string, from: number, clauseEnd: number): number {
  if (text[from - 1] === '给') return from; // the rating word holds it (一分给, 一颗心是给)
  for (let i = from; i < clauseEnd && i <= from + 3; i++) {
    const ch = text[i]!;
    if (ch === '给') return i + 1;
    if (!AWARD_GAP.includes(ch)) return -1;
  }
  return -1;
}
const AWARD_GAP = '是就都全只我还也送';
