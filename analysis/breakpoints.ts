/**
 * Cross-channel breakpoints. A cue pattern (不认, 没有记录, 推来推去, 写着…实际) found in a sentence
 * becomes a breakpoint between two channels: the channel mentioned nearest to the cue and the
 * nearest different channel, looked for in the cue's sentence and then in the two sentences before
 * it (the journey is usually told in order). Only entity words (门店, 客服) name the two touchpoints;
 * process words (退货, 配送) do not. No second channel, no breakpoint: a failure inside one
 * channel is not a breakpoint, and neither is praising one channel while criticising another
 * (that has no cue).
 */
import type { BreakpointKind } from '../core/types.js';
import type { Structure } from './clauses.js';
import type { Mention } from './channels.js';
import type { GapPattern, PartHit } from './terms.js';

export interface FoundBreakpoint {
  channels: [string, string];
  kind: BreakpointKind;
  cue: string;
  /** The sentence holding the cue (normalised offsets). */
  start: number;
  end: number;
  /** Where the cue ends, and the mention it is charged to (the channel that broke the journey). */
  cueEnd: number;
  blamed: Mention;
  /** Parts of the cue pattern (specificity). */
  parts: number;
}

export interface CueMatch {
  pattern: number;
  start: number;
  end: number;
  /** Start of the pattern's last part (让我去…门店: where 门店 starts). */
  lastPart: number;
  sentence: number;
}

/** Longest run of characters between two parts of a cue pattern (写着…实际). */
const MAX_GAP = 25;

/** Matches gap patterns sentence by sentence: every part in order, inside one sentence. */
export function matchGapPatterns<K>(hits: PartHit[], patterns: Array<GapPattern<K>>, st: Structure): CueMatch[] {
  const out: CueMatch[] = [];
  if (!hits.length) return out;
  let from = 0;
  for (let s = 0; s < st.sentences.length; s++) {
    const sent = st.sentences[s]!;
    while (from < hits.length && hits[from]!.start < sent.start) from++;
    let to = from;
    while (to < hits.length && hits[to]!.start < sent.end) to++;
    if (to === from) continue;
    let done: number[] | undefined;
    for (let i = from; i < to; i++) {
      const first = hits[i]!;
      if (first.end > sent.end) continue;
      for (const pattern of first.roles.firsts) {
        if (done?.includes(pattern)) continue;
        const n = patterns[pattern]!.parts.length;
        let pos = first.end;
        let last = first.end;
        let lastPart = first.start;
        let k = 1;
        for (let j = i + 1; j < to && k < n; j++) {
          const h = hits[j]!;
          if (h.start < pos || h.end > sent.end) continue;
          // Parts far apart in a long run-on sentence belong to different statements.
          if (h.start - pos > MAX_GAP) break;
          if (h.roles.keys.has(pattern * 64 + k)) {
            k++;
            pos = last = h.end;
            lastPart = h.start;
          }
        }
        if (k < n) continue;
        (done ??= []).push(pattern);
        out.push({ pattern, start: first.start, end: last, lastPart, sentence: s });
      }
    }
    from = to;
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Verbs after a channel that make it the speaker of what follows. */
const SPEECH = ['说', '却说', '又说', '就说', '表示', '告诉', '回复', '答复', '称', '声称'];

const rank = (f: FoundBreakpoint) => f.parts * 10 + KIND_PRIORITY[f.kind];

const KIND_PRIORITY: Record<BreakpointKind, number> = { runaround: 3, handoff: 2, inconsistency: 1 };

/** Breakpoints of a post from its cue matches and channel mentions; one per channel pair. */
export function findBreakpoints(
  cues: CueMatch[],
  patterns: Array<GapPattern<BreakpointKind>>,
  mentions: Mention[],
  st: Structure,
  text: string,
): FoundBreakpoint[] {
  const out: FoundBreakpoint[] = [];
  if (!cues.length) return out;
  // Touchpoints are named by entity words (门店, 客服); a process word (退货, 保修) next to one channel
  // is that channel's own failure (客服说不保修), not a second touchpoint.
  const entities = mentions.filter((m) => m.kind !== 'activity');
  if (entities.length < 2) return out;
  for (const cue of cues) {
    const pair = pickPair(cue, entities, st, text);
    if (!pair) continue;
    const [a, b, blamed] = pair;
    const channels = (a < b ? [a, b] : [b, a]) as [string, string];
    const p = patterns[cue.pattern]!;
    // A refusal or a missing record is told about the channel that refuses (门店说不给保修): a cue
    // whose own sentence names no touchpoint (退单了还不能退，很气愤) is a complaint, not a break.
    if (p.kind !== 'runaround' && !entities.some((m) => st.clauses[m.clause]!.sentence === cue.sentence)) continue;
    const sent = st.sentences[cue.sentence]!;
    const found: FoundBreakpoint = { channels, kind: p.kind, cue: p.id, start: sent.start, end: sent.end, cueEnd: cue.end, blamed, parts: p.parts.length };
    const prev = out.findIndex((f) => f.channels[0] === channels[0] && f.channels[1] === channels[1]);
    // The most specific cue (most parts: 满…用不了 over 用不了) decides the kind, then the kind priority.
    if (prev < 0) out.push(found);
    else if (rank(found) > rank(out[prev]!)) out[prev] = found;
  }
  return out;
}

function pickPair(cue: CueMatch, entities: Mention[], st: Structure, text: string): [string, string, Mention] | undefined {
  // The cue's sentence first, then up to two sentences back. A mention is accepted when it lies in
  // [from, to) and starts before `limit` (plain loops, not predicates: this runs for every cue).
  for (let back = 0; back <= 2; back++) {
    const from = st.sentences[Math.max(0, cue.sentence - back)]!.start;
    const to = st.sentences[cue.sentence]!.end;
    // The journey so far: channels named up to the cue come first (…查不到积分，客服说… adds a commentator),
    // else any in the window.
    let limit = cue.end;
    if (!hasTwoChannels(entities, from, to, limit)) {
      limit = Infinity;
      if (!hasTwoChannels(entities, from, to, limit)) {
        if (cue.sentence - back <= 0) break;
        continue;
      }
    }
    // The nearest mention, then the nearest one of another channel (earlier first on ties).
    let first: Mention | undefined;
    let firstDist = 0;
    for (const m of entities) {
      if (!accepted(m, from, to, limit)) continue;
      const d = distance(m, cue);
      if (!first || d < firstDist) {
        first = m;
        firstDist = d;
      }
    }
    let second: Mention | undefined;
    let secondDist = 0;
    for (const m of entities) {
      if (!accepted(m, from, to, limit) || m.channel === first!.channel) continue;
      const d = distance(m, cue);
      if (!second || d < secondDist) {
        second = m;
        secondDist = d;
      }
    }
    // The channel charged with the break: the one speaking or acting right before the cue's last part
    // (门店不认, 前台却说没有, 客服让我去…门店 -> 客服). A speaker in the cue's own clause
    // (店员说网上买的不给换) is charged rather than what it talks about.
    const cueClause = st.clauseAt[cue.lastPart]!;
    let latest: Mention | undefined;
    let speaker: Mention | undefined;
    for (const m of entities) {
      if (!accepted(m, from, to, limit) || (m.channel !== first!.channel && m.channel !== second!.channel) || m.end > cue.lastPart) continue;
      if (!latest || m.start > latest.start) latest = m;
      if (m.clause === cueClause && speaks(text, m.end) && (!speaker || m.start > speaker.start)) speaker = m;
    }
    return [first!.channel, second!.channel, speaker ?? latest ?? first!];
  }
  return undefined;
}

function accepted(m: Mention, from: number, to: number, limit: number): boolean {
  return m.start >= from && m.end <= to && m.start < limit;
}

/** Characters between a mention and the cue (0 when they overlap). */
function distance(m: Mention, cue: CueMatch): number {
  return m.end <= cue.start ? cue.start - m.end : m.start >= cue.end ? m.start - cue.end : 0;
}

/** Whether a speech verb (说, 表示...) starts at `pos`. */
function speaks(text: string, pos: number): boolean {
  for (let i = 0; i < SPEECH.length; i++) if (text.startsWith(SPEECH[i]!, pos)) return true;
  return false;
}

/** Whether the accepted mentions (see pickPair) name at least two different channels. */
function hasTwoChannels(ms: Mention[], from: number, to: number, limit: number): boolean {
  let one: string | undefined;
  for (const m of ms) {
    if (!accepted(m, from, to, limit)) continue;
    if (one === undefined) one = m.channel;
    else if (m.channel !== one) return true;
  }
  return false;
}
