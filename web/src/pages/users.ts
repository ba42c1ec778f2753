/**
 * Users (admins): list, add with a role and an initial password, remove. `voc users` does the
 * same from a shell.
 */
import { del, get, post } from '../api.js';
import { field, fmtTime, h, select } from '../dom.js';
import { t } from '../i18n.js';
import type { PageContext } from '../main.js';

interface User {
  username: string;
  role: string;
  createdAt: string;
}

export async function renderUsers(ctx: PageContext): Promise<void> {
  const m = t();
  const { users } = await get<{ users: User[] }>('/api/users');
  const username = h('input', { name: 'username', required: true, autocomplete: 'off', pattern: '[a-z0-9][a-z0-9._\\-]*' });
  const role = select('role', [['viewer', 'viewer'], ['analyst', 'analyst'], ['admin', 'admin']]);
  const password = h('input', { name: 'password', type: 'password', required: true, minlength: 10, autocomplete: 'new-password' });
  const status = h('p', { role: 'status' });
  const form = h('form', { class: 'card' }, h('h1', {}, m.usersTitle), h('h2', {}, m.addUser), h('div', { class: 'grid' }, field(m.username, username), field(m.roleLabel, role), field(m.password, password, m.passwordHint)), h('button', { type: 'submit' }, m.save), status);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    post('/api/users', { username: username.value.trim(), role: role.value, password: password.value }).then(
      () => ctx.go(`users?saved=${Date.now()}`),
      (err: Error) => (status.textContent = `${m.error}: ${err.message}`),
    );
  });
  const table = h(
    'table',
    {},
    h('thead', {}, h('tr', {}, [m.username, m.roleLabel, m.userCreated, ''].map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      users.map((u) =>
        h(
          'tr',
          { 'data-user': u.username },
          h('td', {}, u.username),
          h('td', {}, u.role),
          h('td', {}, fmtTime(u.createdAt, ctx.meta.timeZone)),
          h('td', {}, u.username === ctx.me.username ? null : h('button', { type: 'button', class: 'danger', 'aria-label': `${m.remove} ${u.username}`, onclick: () => void del(`/api/users/${encodeURIComponent(u.username)}`).then(() => ctx.go(`users?removed=${Date.now()}`)) }, m.remove)),
        ),
      ),
    ),
  );
  ctx.main.append(form, h('section', { class: 'card' }, table));
}
