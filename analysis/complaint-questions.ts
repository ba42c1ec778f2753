/**
 * Complaints made as questions. A review that does not praise often complains only by asking:
 * 说好的赠品呢？ 凭什么？ 怎么只给我送单点的？ 为什么没给我开发票？ Such a sentence holds no sentiment
 * word, so without these judgements it would read as neutral and the touchpoint it names would not be
 * blamed. Each adds one complaint (the value of a breakpoint cue) to its clause, charged to what the
 * clause is about, and only in a sentence ending in ？ that judges nothing else: a sentence that already
 * says 太差了 needs no second complaint, and in a praising review the same forms reflect or joke
 * (还算爱吗？ 是给老妈买的，好吗？), so the caller asks only for a review that does not praise.
 *
 * Two kinds, told apart because they relate differently to genuine questions:
 * - a rhetorical marker (凭什么, 说好的…呢, 怎么只; `rhetorical` in questions.yaml) never asks, so its
 *   complaint is added before questions are found and makes the review a complaining one;
 * - "why not" (为什么没有勺子？ 怎么还有辣？) may also be a genuine question, so its complaint is added
 *   after them and never un-asks it: the review both asks and complains.
 */
import type { Attribution } from './attribution.js';
import type { CueMatch } from './breakpoints.js';
import type { Structure } from './clauses.js';
import { COMPLAINT, type Judgement } from './judgement.js';
import { HELP_KINDS } from './questions.js';
import type { GapPattern, QuestionKind } from './terms.js';

/** Sums of the judgements per sentence (a complaint is added only where the sum is 0). */
function sentenceSums(judgements: readonly Judgement[], st: Structure): number[] {
  const sums = new Array<number>(st.sentences.length).fill(0);
  for (const j of judgements) sums[st.clauses[j.clause]!.sentence] += j.value;
  return sums;
}

function asks(st: Structure, sentence: number): boolean {
  const t = st.sentences[sentence]!.terminator;
  return t.includes('？') || t.includes('?');
}

function complaintAt(start: number, end: number, clause: number, about: Pick<Attribution, 'channelsOfWord' | 'clauseAspects'>): Judgement {
  return { value: COMPLAINT, pos: start, start, end, clause, channels: [...about.channelsOfWord(clause, start, end)], aspects: about.clauseAspects(clause) };
}

/** One complaint per question sentence with a rhetorical marker that judges nothing else. */
export function rhetoricalComplaints(
  matches: readonly CueMatch[],
  patterns: ReadonlyArray<GapPattern<QuestionKind>>,
  st: Structure,
  judgements: readonly Judgement[],
  about: Pick<Attribution, 'channelsOfWord' | 'clauseAspects'>,
): Judgement[] {
  let out: Judgement[] | undefined;
  let sums: number[] | undefined;
  for (const q of matches) {
    if (patterns[q.pattern]!.kind !== 'rhetorical' || !asks(st, q.sentence)) continue;
    sums ??= sentenceSums(judgements, st);
    if (sums[q.sentence] !== 0) continue;
    // 请问冬天续航能有多少？ asks for help: a help marker in the sentence makes it a question that
    // the rhetorical-looking words (能有多) do not turn into a complaint.
    if (matches.some((h) => h.sentence === q.sentence && HELP_KINDS.has(patterns[h.pattern]!.kind))) continue;
    const clause = st.clauseAt[q.start]!;
    if (clause < 0) continue;
    sums[q.sentence] = COMPLAINT; // one per sentence
    (out ??= []).push(complaintAt(q.start, q.end, clause, about));
  }
  return out ?? NONE;
}

/** One complaint per question sentence asking why something was not done (为什么没…, 怎么还…) that
 *  judges nothing else. */
export function whyNotComplaints(text: string, st: Structure, judgements: readonly Judgement[], about: Pick<Attribution, 'channelsOfWord' | 'clauseAspects'>): Judgement[] {
  let out: Judgement[] | undefined;
  let sums: number[] | undefined;
  for (let s = 0; s < st.sentences.length; s++) {
    if (!asks(st, s)) continue;
    const sent = st.sentences[s]!;
    const m = WHY_NOT.exec(text.slice(sent.start, sent.end));
    if (!m) continue;
    sums ??= sentenceSums(judgements, st);
    if (sums[s] !== 0) continue;
    const start = sent.start + m.index;
    const clause = st.clauseAt[start]!;
    if (clause < 0) continue;
    (out ??= []).push(complaintAt(start, start + m[0].length, clause, about));
  }
  return out ?? NONE;
}

/**
 * "Why" or "how come", then within its clause a negation or a word of what should not be (没, 不, 只,
 * 才, 还, 又, 要): 为什么没有勺子, 为啥不给餐具, 怎么还放辣, 为什么非要六个字. English: why … not / no / n't / never.
 */
const WHY_NOT = /(为什么|为啥|为何|怎么)[^，,。！？?!；;]{0,12}?(没|不|只|才|还|又|要)|\bwhy\b[^,.!?;]{0,30}?(\bnot\b|\bno\b|n't\b|\bnever\b)/i;

const NONE: Judgement[] = [];
