/**
 * The console API from the browser: same-origin fetches with the session cookie, and the CSRF
 * token (from login or /api/me) on every write. Errors come back as one line in `{ error }`.
 */
import { currentLang } from './i18n.js';

export interface Me {
  username: string;
  role: 'admin' | 'analyst' | 'viewer';
  csrfToken?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let csrf = '';

export function setCsrf(token: string | undefined): void {
  csrf = token ?? '';
}

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  // The server answers errors in the language the user picked in the UI (not the browser's).
  const headers: Record<string, string> = { 'accept-language': currentLang() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new ApiError(res.status, data.error ?? `HTTP ${res.status}`);
  return data as T;
}

export const get = <T>(path: string) => call<T>('GET', path);
export const post = <T>(path: string, body?: unknown) => call<T>('POST', path, body ?? {});
export const put = <T>(path: string, body: unknown) => call<T>('PUT', path, body);
export const del = <T>(path: string) => call<T>('DELETE', path);

export function query(params: Record<string, string | number | boolean | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

// Shapes the pages use (a subset of the server's types).
export interface Span {
  start: number;
  end: number;
  text: string;
}
export interface Post {
  id: string;
  source: string;
  externalId: string;
  url: string;
  text: string;
  publishedAt: string;
  brand: string;
  targetId: string;
  authorHash?: string;
}
export interface Classification {
  channels: Array<{ channel: string; polarity: string; alias: string; evidence: Span; stanceEvidence?: Span }>;
  descriptors: Array<{ word: string; promise: string; polarity: 'pos' | 'neg'; channel: string | null; evidence: Span }>;
  /** Absent in classifications stored before open words existed. */
  openWords?: Array<{ word: string; pos: 'adj' | 'verb'; channel: string; negated: boolean; evidence: Span }>;
  sentiment: { label: string; score: number };
  aspects: Array<{ aspect: string; polarity: string; evidence: Span }>;
  scenarios: Array<{ scenario: string; type?: string; evidence: Span }>;
  question: { isQuestion: boolean };
  breakpoints: Array<{ channels: [string, string]; kind: string; cue: string; evidence: Span }>;
  lang?: string;
  spam?: boolean;
  lexiconVersion?: string;
}
export interface Run {
  id: string;
  kind: string;
  targetIds: string[];
  status: string;
  startedAt: string;
  finishedAt?: string;
  stats: { pagesFetched: number; postsNew: number; postsUpdated: number; postsUnchanged: number; postsClassified: number; errors: number };
  errors: string[];
  /** The same lines in Chinese, index for index (absent in older runs). */
  errorsZh?: string[];
  /** Targets whose outcome made the run fail (workers/run-outcome.ts; absent in older runs). */
  failedTargets?: string[];
}
export interface Target {
  id: string;
  kind: string;
  url: string;
  brand: string;
  source: string;
  maxPages: number;
  selectors?: Record<string, string>;
  json?: Record<string, string | string[] | boolean>;
  detail?: { post?: Record<string, string> };
  sitemap?: { include?: string[] };
  browser?: { waitFor?: string; scrolls?: number; loadMore?: string };
  preset?: string;
  origin?: 'config' | 'console';
}
/** A preset: the kind it sets and the parameters its URL is built from. */
export interface PresetInfo {
  name: string;
  kind: string;
  params: string[];
}
export interface Meta {
  locale: string;
  timeZone: string;
  brands: Array<{ id: string; name: string }>;
  channels: Array<{ id: string; 'zh-CN': string; en: string }>;
  targetKinds: string[];
  presets: PresetInfo[];
  breakpointKinds: string[];
  runMode: string;
  schedules: boolean;
  /** Longest text POST /api/explain accepts. */
  explainMaxChars: number;
}
