import { ApiError, post, type Me } from '../api.js';
import { field, h } from '../dom.js';
import { currentLang, setLang, t } from '../i18n.js';

/** The login form; calls `done` with the signed-in user. */
export function renderLogin(main: HTMLElement, done: (me: Me) => void): void {
  const m = t();
  const user = h('input', { name: 'username', autocomplete: 'username', required: true });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const status = h('p', { class: 'error', role: 'alert' });
  const form = h(
    'form',
    { class: 'card login' },
    h('h1', {}, m.appTitle),
    field(m.username, user),
    field(m.password, pass),
    h('button', { type: 'submit' }, m.login),
    status,
    h('button', { type: 'button', class: 'link', lang: currentLang() === 'en' ? 'zh-CN' : 'en', onclick: () => (setLang(currentLang() === 'en' ? 'zh-CN' : 'en'), location.reload()) }, m.language),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    status.textContent = '';
    post<Me>('/api/login', { username: user.value.trim(), password: pass.value }).then(done, (err: unknown) => {
      const reason = err instanceof ApiError ? (err.status === 401 ? m.wrongLogin : err.status === 429 ? m.tooManyLogins : err.message) : String(err);
      status.textContent = `${m.loginFailed}: ${reason}`;
    });
  });
  main.append(form);
  user.focus();
}
