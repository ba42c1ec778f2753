/**
 * Reports: list, render now, view (HTML) and download (PDF, HTML). Files are served only from
 * the paths recorded in the store for that report, never from a path given in the request.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { findBrand } from '../../core/config.js';
import { resolvePeriod } from '../../core/time.js';
import type { Locale } from '../../core/types.js';
import { generateReport } from '../../reports/generate.js';
import type { ReportRecord } from '../../store/store.js';
import type { StageDeps } from '../../workers/deps.js';
import { reportLabels } from '../../workers/labels.js';
import { allow, ALL_ROLES, ANALYSTS, sendError } from '../auth.js';
import { say } from '../messages.js';

const ID_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 300 } } } as const;

/** What a listing shows of a report (not its snapshot of post ids). */
function summary(r: ReportRecord) {
  return {
    id: r.id,
    brand: r.brand,
    period: r.period,
    from: r.from,
    to: r.to,
    locale: r.locale,
    createdAt: r.createdAt,
    postCount: r.postCount,
    formats: r.files.map((f) => f.format),
    ...(r.scheduleId ? { scheduleId: r.scheduleId } : {}),
  };
}

export async function reportRoutes(app: FastifyInstance, opts: { deps: StageDeps; reportsDir: string }): Promise<void> {
  const { store, config } = opts.deps;

  app.get(
    '/api/reports',
    { onRequest: allow(...ALL_ROLES), schema: { tags: ['reports'], summary: 'Rendered reports, newest first', querystring: { type: 'object', properties: { brand: { type: 'string', maxLength: 100 } } } } },
    async (req) => {
      const { brand } = req.query as { brand?: string };
      return { reports: (await store.listReports(brand)).map(summary), brands: config.brands.map((b) => ({ id: b.id, name: b.name })) };
    },
  );

  app.post(
    '/api/reports',
    {
      onRequest: allow(...ANALYSTS),
      schema: {
        tags: ['reports'],
        summary: 'Render a report now (month, or from/to dates)',
        body: {
          type: 'object',
          required: ['brand'],
          properties: {
            brand: { type: 'string', maxLength: 100 },
            period: { type: 'string', pattern: '^\\d{4}-\\d{2}$' },
            from: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
            to: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
            locale: { type: 'string', enum: ['zh-CN', 'en'] },
            formats: { type: 'array', minItems: 1, items: { type: 'string', enum: ['html', 'pdf'] } },
          },
        },
      },
    },
    async (req, reply) => {
      const body = req.body as { brand: string; period?: string; from?: string; to?: string; locale?: Locale; formats?: Array<'html' | 'pdf'> };
      findBrand(config, body.brand);
      if (body.period && (body.from || body.to)) return sendError(reply, 400, say(req).periodBoth);
      const range = resolvePeriod(config.timeZone, body.period, body.from, body.to);
      const result = await generateReport(
        { store, config, labels: reportLabels(config, opts.deps.classifier.lexicons), lexiconVersion: opts.deps.classifier.lexiconVersion },
        {
          brand: body.brand,
          period: range.label,
          from: range.from,
          to: range.to,
          timeZone: config.timeZone,
          locale: body.locale ?? config.locale,
          formats: [...new Set(body.formats ?? (['html', 'pdf'] as const))],
        },
        opts.reportsDir,
      );
      return reply.code(201).send({ report: summary(result.record) });
    },
  );

  app.get('/api/reports/:id', { onRequest: allow(...ALL_ROLES), schema: { tags: ['reports'], summary: 'One report', params: ID_PARAMS } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const r = await store.getReport(id);
    return r ? { report: summary(r) } : sendError(reply, 404, say(req).unknownReport(id));
  });

  app.get(
    '/api/reports/:id/:format',
    {
      onRequest: allow(...ALL_ROLES),
      schema: {
        tags: ['reports'],
        summary: 'The report file: html (shown inline, or ?download=1) or pdf (a download)',
        params: { type: 'object', required: ['id', 'format'], properties: { id: { type: 'string', maxLength: 300 }, format: { type: 'string', enum: ['html', 'pdf'] } } },
        querystring: { type: 'object', properties: { download: { type: 'boolean' } } },
      },
    },
    async (req, reply) => {
      const { id, format } = req.params as { id: string; format: 'html' | 'pdf' };
      const { download } = req.query as { download?: boolean };
      const r = await store.getReport(id);
      if (!r) return sendError(reply, 404, say(req).unknownReport(id));
      const file = r.files.find((f) => f.format === format);
      if (!file) return sendError(reply, 404, say(req).reportNoFile(id, format));
      const size = await stat(file.path).then((s) => s.size, () => undefined);
      if (size === undefined) return sendError(reply, 410, say(req).reportGone(id, format, file.path));
      const name = `${r.brand}-${r.period}-${r.locale}.${format}`.replace(/[^A-Za-z0-9._-]/g, '_');
      reply.header('content-length', size).header('content-disposition', `${format === 'pdf' || download ? 'attachment' : 'inline'}; filename="${name}"`);
      // The report page is shown in the console: no script runs in it and it can reach nothing.
      if (format === 'html') reply.header('content-security-policy', "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; sandbox");
      return reply.type(format === 'pdf' ? 'application/pdf' : 'text/html; charset=utf-8').send(createReadStream(file.path));
    },
  );
}
