/**
 * Users (admin only): list, add, remove. `voc users` does the same from a shell.
 */
import type { FastifyInstance } from 'fastify';
import type { Store } from '../../store/store.js';
import { addUser, publicUser } from '../accounts.js';
import { allow, sendError } from '../auth.js';
import { say } from '../messages.js';

export async function userRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  const { store } = opts;
  const guard = { onRequest: allow('admin') };
  app.get('/api/users', { ...guard, schema: { tags: ['users'], summary: 'Console users' } }, async () => ({ users: (await store.listUsers()).map(publicUser) }));
  app.post(
    '/api/users',
    {
      ...guard,
      schema: {
        tags: ['users'],
        summary: 'Add a user',
        body: { type: 'object', required: ['username', 'role', 'password'], properties: { username: { type: 'string' }, role: { type: 'string' }, password: { type: 'string' } } },
      },
    },
    async (req, reply) => reply.code(201).send({ user: await addUser(store, req.body as { username: string; role: string; password: string }) }),
  );
  app.delete('/api/users/:username', { ...guard, schema: { tags: ['users'], summary: 'Remove a user with their tokens and sessions' } }, async (req, reply) => {
    const { username } = req.params as { username: string };
    if (username === req.principal!.username) return sendError(reply, 400, say(req).cannotRemoveSelf);
    if (!(await store.removeUser(username))) return sendError(reply, 404, say(req).unknownUser(username));
    return reply.code(204).send();
  });
}
