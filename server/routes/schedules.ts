/**
 * Crawl and report schedules (BullMQ job schedulers, as `voc schedule`). They live in Redis: a
 * server without REDIS_URL answers 503 and says so.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VocConfig } from '../../core/config.js';
import { findBrand } from '../../core/config.js';
import { describeIssue } from '../../core/schema-issues.js';
import { InputError } from '../../core/errors.js';
import { reportScheduleSchema } from '../../core/report-config.js';
import type { Store } from '../../store/store.js';
import type { Queues } from '../../workers/queues.js';
import { listSchedules, removeSchedule, upsertSchedule, validateSchedule, type ScheduleDef } from '../../workers/schedules.js';
import { allow, ANALYSTS, sendError } from '../auth.js';
import { say } from '../messages.js';


export async function scheduleRoutes(app: FastifyInstance, opts: { store: Store; config: VocConfig; queues?: Queues }): Promise<void> {
  const { store, config, queues } = opts;
  const guard = { onRequest: allow(...ANALYSTS) };
  const need = (req: FastifyRequest, reply: FastifyReply) => (queues ? undefined : sendError(reply, 503, say(req).noRedis));

  app.get('/api/schedules', { ...guard, schema: { tags: ['schedules'], summary: 'Installed crawl and report schedules and when each fires next' } }, async (req, reply) => {
    if (!queues) return need(req, reply);
    const list = await listSchedules(queues);
    return { schedules: list.map((s) => ({ ...s, ...(s.next ? { nextAt: new Date(s.next).toISOString() } : {}) })) };
  });

  app.post(
    '/api/schedules',
    {
      ...guard,
      schema: {
        tags: ['schedules'],
        summary: 'Add or replace a schedule: crawl of a target, or a report of a brand',
        body: {
          type: 'object',
          required: ['kind', 'id', 'cron'],
          properties: {
            kind: { type: 'string', enum: ['crawl', 'report'] },
            id: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]{0,63}$', description: 'crawl: the target id; report: a schedule id' },
            cron: { type: 'string', maxLength: 100 },
            tz: { type: 'string', maxLength: 100 },
            brand: { type: 'string', maxLength: 100 },
            period: { type: 'string', enum: ['last-week', 'last-month'] },
            formats: { type: 'array', minItems: 1, items: { type: 'string', enum: ['html', 'pdf'] } },
          },
        },
      },
    },
    async (req, reply) => {
      if (!queues) return need(req, reply);
      const b = req.body as { kind: 'crawl' | 'report'; id: string; cron: string; tz?: string; brand?: string; period?: 'last-week' | 'last-month'; formats?: Array<'html' | 'pdf'> };
      const tz = b.tz ?? config.timeZone;
      validateSchedule(b.cron, tz, 'cron/tz');
      let def: ScheduleDef;
      if (b.kind === 'crawl') {
        if (!(await store.getTarget(b.id))) return sendError(reply, 400, say(req).scheduleUnknownTarget(b.id));
        def = { kind: 'crawl', id: b.id, pattern: b.cron, tz, origin: 'console', targetId: b.id };
      } else {
        if (!b.brand) return sendError(reply, 400, say(req).scheduleBrand);
        findBrand(config, b.brand);
        const parsed = reportScheduleSchema.safeParse({ id: b.id, brand: b.brand, ...(b.period ? { period: b.period } : {}), ...(b.formats ? { formats: b.formats } : {}) });
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          // `id：应为…`, which the API shows as 字段 id 无效：应为… (server/messages.ts localizeInputMessage).
          throw new InputError(describeIssue(issue));
        }
        def = { kind: 'report', id: b.id, pattern: b.cron, tz, origin: 'console', schedule: { ...parsed.data, schedule: b.cron } };
      }
      await upsertSchedule(queues, def);
      const info = (await listSchedules(queues)).find((s) => s.kind === def.kind && s.id === def.id);
      return reply.code(201).send({ schedule: info ? { ...info, ...(info.next ? { nextAt: new Date(info.next).toISOString() } : {}) } : null });
    },
  );

  app.delete(
    '/api/schedules/:kind/:id',
    {
      ...guard,
      schema: {
        tags: ['schedules'],
        summary: 'Remove a schedule',
        params: { type: 'object', required: ['kind', 'id'], properties: { kind: { type: 'string', enum: ['crawl', 'report'] }, id: { type: 'string', maxLength: 100 } } },
      },
    },
    async (req, reply) => {
      if (!queues) return need(req, reply);
      const { kind, id } = req.params as { kind: 'crawl' | 'report'; id: string };
      if (!(await removeSchedule(queues, kind, id))) return sendError(reply, 404, say(req).noSchedule(kind, id));
      return reply.code(204).send();
    },
  );
}
