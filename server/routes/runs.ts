/**
 * Runs: list, start an ad-hoc crawl of chosen targets, follow it (server-sent events), cancel.
 */
import type { FastifyInstance } from 'fastify';
import type { Target } from '../../core/types.js';
import { preflightTargets } from '../../cli/preflight.js';
import type { Store } from '../../store/store.js';
import { say } from '../messages.js';
import { allow, ANALYSTS, sendError } from '../auth.js';
import type { RunEvent, RunManager } from '../run-manager.js';

const ID_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;
/** A comment line every 15 s keeps proxies from closing a quiet event stream. */
const KEEPALIVE_MS = 15_000;

export async function runRoutes(app: FastifyInstance, opts: { store: Store; runs: RunManager }): Promise<void> {
  const { store, runs } = opts;
  const guard = { onRequest: allow(...ANALYSTS) };

  app.get(
    '/api/runs',
    { ...guard, schema: { tags: ['runs'], summary: 'Recent runs, newest first', querystring: { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 200 } } } } },
    async (req) => {
      const { limit = 20 } = req.query as { limit?: number };
      return { runs: await store.listRuns(limit), mode: runs.mode };
    },
  );

  app.post(
    '/api/runs',
    {
      ...guard,
      schema: {
        tags: ['runs'],
        summary: 'Start an ad-hoc crawl of the given targets (classified as pages arrive)',
        body: {
          type: 'object',
          required: ['targets'],
          properties: {
            targets: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'string', maxLength: 100 } },
            maxPages: { type: 'integer', minimum: 1, maximum: 10000 },
          },
        },
      },
    },
    async (req, reply) => {
      const body = req.body as { targets: string[]; maxPages?: number };
      const all = await store.listTargets();
      const chosen: Target[] = [];
      for (const [i, id] of body.targets.entries()) {
        const t = all.find((x) => x.id === id);
        if (!t) return sendError(reply, 400, say(req).unknownRunTarget(i, id, all.map((x) => x.id)));
        chosen.push(t);
      }
      await preflightTargets(chosen);
      const run = await runs.start(chosen, body.maxPages ? { maxPages: body.maxPages } : {});
      return reply.code(202).send({ run });
    },
  );

  app.get('/api/runs/:id', { ...guard, schema: { tags: ['runs'], summary: 'A run and its progress', params: ID_PARAMS } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const found = await runs.get(id);
    if (!found) return sendError(reply, 404, say(req).unknownRun(id));
    return found;
  });

  app.get(
    '/api/runs/:id/events',
    { ...guard, schema: { tags: ['runs'], summary: 'Progress as server-sent events: `progress` after each page, one `done` at the end', params: ID_PARAMS } },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      if (!(await runs.get(id))) return sendError(reply, 404, say(req).unknownRun(id));
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      let stop: (() => void) | undefined;
      let ended = false;
      const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
      const end = () => {
        if (ended) return;
        ended = true;
        clearInterval(keepalive);
        stop?.();
        res.end();
      };
      req.raw.on('close', end);
      const send = (e: RunEvent) => {
        if (ended) return;
        // JSON never holds a raw newline, so one data line per event is safe.
        res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
        if (e.type === 'done') setImmediate(end);
      };
      stop = await runs.subscribe(id, send);
      if (ended) stop?.();
    },
  );

  app.post('/api/runs/:id/cancel', { ...guard, schema: { tags: ['runs'], summary: 'Cancel a running crawl (in-process, or queued: its remaining pages are skipped)', params: ID_PARAMS } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const outcome = await runs.cancel(id);
    if (outcome === 'cancelling') return reply.code(202).send({ status: 'cancelling' });
    const m = say(req);
    if (outcome === 'finished') return sendError(reply, 409, m.runFinished(id));
    const known = Boolean(await store.getRun(id));
    return sendError(reply, known ? 409 : 404, known ? m.runNotHere(id) : m.unknownRun(id));
  });
}
