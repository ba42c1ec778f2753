/**
 * The benchmark forum: N listing pages of about 60 KB, 20 posts each, every post unique (text
 * drawn from a seeded generator, so near-duplicate detection sees realistic, distinct texts).
 * Pages are built on request from precomputed chrome; the server is meant to run pinned to its
 * own core and answers far faster than any crawler reads.
 *
 *   node dist/bench/crawl-site.js <pages>    prints "listening <origin>" on stdout
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { seededRandom as prng } from '../core/random.js';

export const POSTS_PER_PAGE = 20;


const ZH = '门店 官网 客服 物流 售后 价格 排队 会员 积分 退款 发票 快递 包装 质量 服务 态度 效率 体验 推荐 失望 满意 等了 三天 没货 有货 电话 打不通 APP 下单 支付 失败 闪退 更新 优惠 活动 门口 店员 专业 热情 耐心'.split(' ');
const EN = 'store website support delivery refund price queue member points invoice courier package quality service staff fast slow great terrible again never always app checkout crash update coupon'.split(' ');
const PUNCT = ['，', '。', '！', '？', '、'];

function sentence(rand: () => number, words: number): string {
  let s = '';
  for (let i = 0; i < words; i++) {
    const zh = rand() < 0.75;
    const list = zh ? ZH : EN;
    s += list[Math.floor(rand() * list.length)]!;
    s += zh ? '' : ' ';
    if (i % 7 === 6) s += PUNCT[Math.floor(rand() * PUNCT.length)]!;
  }
  return `${s.trim()}。`;
}

const NAV = `<header class="site-header"><nav>${Array.from({ length: 40 }, (_, i) => `<a class="nav-link" href="/board/${i}">版块 ${i} · Board ${i}</a>`).join('')}</nav></header>`;
const SIDEBAR = `<aside class="sidebar"><h3>热门话题</h3><ul>${Array.from(
  { length: 150 },
  (_, i) => `<li><a href="/topic/${1000 + i}" title="话题 ${i}">热门话题第 ${i} 条：${ZH[i % ZH.length]}${ZH[(i * 7) % ZH.length]}相关讨论</a><span class="count">${i * 13}</span></li>`,
).join('')}</ul></aside>`;
const SCRIPT = `<script>window.__FORUM_CONFIG__=${JSON.stringify({ features: Array.from({ length: 120 }, (_, i) => `feature_${i}_enabled`), build: 'bench' })};</script>`;
const FOOTER = `<footer class="site-footer">${Array.from({ length: 30 }, (_, i) => `<a href="/help/${i}">帮助 ${i}</a>`).join(' | ')}<p>© Bench Forum</p></footer>`;

/** The HTML of listing page `n` (1-based). */
export function forumPage(n: number, pages: number): string {
  const rand = prng(n * 7919);
  const parts: string[] = [
    `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>Bench 论坛 - 第 ${n} 页</title><link rel="stylesheet" href="/static/forum.css">${SCRIPT}</head><body>`,
    NAV,
    '<div class="layout">',
    SIDEBAR,
    '<main class="thread-list">',
  ];
  for (let i = 0; i < POSTS_PER_PAGE; i++) {
    const id = (n - 1) * POSTS_PER_PAGE + i + 1;
    const uid = Math.floor(rand() * 50_000);
    const day = 1 + Math.floor(rand() * 28);
    const hour = Math.floor(rand() * 24);
    const paragraphs = 3 + Math.floor(rand() * 3);
    let content = '';
    for (let p = 0; p < paragraphs; p++) content += `<p>${sentence(rand, 24 + Math.floor(rand() * 30))}</p>`;
    parts.push(
      `<div class="post" id="p${id}" data-id="${id}"><div class="post-head"><img class="avatar" src="/avatar/${uid}.png" alt=""><a class="user" href="/u/${uid}">用户${uid}</a>`,
      `<span class="badge">Lv.${1 + (uid % 9)}</span><time datetime="2026-10-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+08:00">10月${day}日</time></div>`,
      `<div class="content">${content}</div>`,
      `<div class="post-foot"><span class="likes">赞 ${Math.floor(rand() * 500)}</span><span class="replies">回复 ${Math.floor(rand() * 80)}</span>`,
      `<a class="permalink" href="/t/${id}">#${id}</a><button class="btn reply" data-id="${id}">回复</button><button class="btn report" data-id="${id}">举报</button>`,
      `<div class="signature">${sentence(rand, 8)}</div></div></div>`,
    );
  }
  parts.push('</main></div>');
  if (n < pages) parts.push(`<a class="next" href="/forum?page=${n + 1}">下一页</a>`);
  parts.push(FOOTER, '</body></html>');
  return parts.join('');
}

/** Starts the forum on 127.0.0.1 (port 0 = any free port). */
export async function startForum(pages: number, port = 0): Promise<{ origin: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/robots.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n');
      return;
    }
    const n = Number(url.searchParams.get('page') ?? '1');
    if (url.pathname !== '/forum' || !Number.isInteger(n) || n < 1 || n > pages) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const body = Buffer.from(forumPage(n, pages));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length }).end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: actual } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${actual}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

if (process.argv[1] && /crawl-site\.js$/.test(process.argv[1])) {
  const pages = Number(process.argv[2] ?? '3000');
  const forum = await startForum(pages);
  console.log(`listening ${forum.origin}`);
  const stop = () => void forum.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
