/**
 * The console shell: login gate, header with navigation and language switch, and a hash router
 * (#/targets, #/crawl, #/posts?..., #/reports, #/schedules). Each page is a module that renders
 * into <main> and returns; the shell re-renders on navigation and on a language change.
 */
import './styles.css';
import { ApiError, get, post, setCsrf, type Me, type Meta } from './api.js';
import { clear, h } from './dom.js';
import { currentLang, setLang, t } from './i18n.js';
import { renderLogin } from './pages/login.js';
import { renderTargets } from './pages/targets.js';
import { renderCrawl } from './pages/crawl.js';
import { renderPosts } from './pages/posts.js';
import { renderReports } from './pages/reports.js';
import { renderSchedules } from './pages/schedules.js';
import { renderUsers } from './pages/users.js';

export interface PageContext {
  me: Me;
  meta: Meta;
  main: HTMLElement;
  /** Query parameters of the hash route. */
  params: URLSearchParams;
  go(route: string): void;
  channelLabel(id: string): string;
}

type Page = (ctx: PageContext) => Promise<void> | void;

const PAGES: Record<string, { page: Page; roles: Me['role'][]; nav: () => string }> = {
  targets: { page: renderTargets, roles: ['admin', 'analyst'], nav: () => t().navTargets },
  crawl: { page: renderCrawl, roles: ['admin', 'analyst'], nav: () => t().navCrawl },
  posts: { page: renderPosts, roles: ['admin', 'analyst'], nav: () => t().navPosts },
  reports: { page: renderReports, roles: ['admin', 'analyst', 'viewer'], nav: () => t().navReports },
  schedules: { page: renderSchedules, roles: ['admin', 'analyst'], nav: () => t().navSchedules },
  users: { page: renderUsers, roles: ['admin'], nav: () => t().navUsers },
};

const root = document.getElementById('app')!;
let me: Me | undefined;
let meta: Meta | undefined;

function route(): { name: string; params: URLSearchParams } {
  const hash = location.hash.replace(/^#\/?/, '');
  const [name = '', q = ''] = hash.split('?');
  return { name, params: new URLSearchParams(q) };
}

function go(r: string): void {
  location.hash = `#/${r}`;
}

async function loadSession(): Promise<boolean> {
  try {
    me = await get<Me>('/api/me');
    setCsrf(me.csrfToken);
    meta = await get<Meta>('/api/meta');
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return false;
    throw err;
  }
}

function header(active: string): HTMLElement {
  const m = t();
  const links = Object.entries(PAGES)
    .filter(([, p]) => p.roles.includes(me!.role))
    .map(([name, p]) => h('li', {}, h('a', { href: `#/${name}`, 'aria-current': name === active ? 'page' : undefined }, p.nav())));
  // Bull Board exists only when the server has queues (REDIS_URL).
  if (me!.role === 'admin' && meta!.schedules) links.push(h('li', {}, h('a', { href: '/admin/queues' }, m.navQueues)));
  links.push(h('li', {}, h('a', { href: '/api/docs' }, m.navDocs)));
  return h(
    'header',
    { class: 'top' },
    h('span', { class: 'brand' }, m.appTitle),
    h('nav', { 'aria-label': m.appTitle }, h('ul', {}, links)),
    h(
      'div',
      { class: 'who' },
      h('span', {}, `${me!.username} · ${m.roleLabel}: ${me!.role}`),
      h('button', { type: 'button', class: 'link', title: m.languageLabel, lang: currentLang() === 'en' ? 'zh-CN' : 'en', onclick: () => (setLang(currentLang() === 'en' ? 'zh-CN' : 'en'), void render()) }, m.language),
      h('button', { type: 'button', class: 'link', onclick: () => void logout() }, m.logout),
    ),
  );
}

async function logout(): Promise<void> {
  await post('/api/logout').catch(() => undefined);
  me = undefined;
  setCsrf(undefined);
  go('login');
  await render();
}

/** Bumped by every render: an older render still waiting for the API then draws nothing. */
let renderSeq = 0;

async function render(): Promise<void> {
  const mine = ++renderSeq;
  document.documentElement.lang = currentLang();
  document.title = t().appTitle;
  const signedIn = me !== undefined || (await loadSession());
  if (mine !== renderSeq) return;
  clear(root);
  if (!signedIn) {
    const main = h('main', { id: 'main' });
    root.append(main);
    renderLogin(main, async (loggedIn) => {
      me = loggedIn;
      setCsrf(loggedIn.csrfToken);
      meta = await get<Meta>('/api/meta');
      const first = Object.entries(PAGES).find(([, p]) => p.roles.includes(loggedIn.role))![0];
      if (!route().name || route().name === 'login') go(first);
      else await render();
    });
    return;
  }
  let { name, params } = route();
  if (!PAGES[name]) {
    name = Object.entries(PAGES).find(([, p]) => p.roles.includes(me!.role))![0];
    history.replaceState(null, '', `#/${name}`);
  }
  const main = h('main', { id: 'main' });
  root.append(header(name), main);
  const page = PAGES[name]!;
  if (!page.roles.includes(me!.role)) {
    main.append(h('p', { class: 'error', role: 'alert' }, t().forbidden));
    return;
  }
  const labels = new Map(meta!.channels.map((c) => [c.id, c[currentLang()]]));
  try {
    await page.page({ me: me!, meta: meta!, main, params, go, channelLabel: (id) => labels.get(id) ?? id });
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      me = undefined;
      return void render();
    }
    main.append(h('p', { class: 'error', role: 'alert' }, `${t().error}: ${(err as Error).message}`));
  }
}

window.addEventListener('hashchange', () => void render());
void render();
