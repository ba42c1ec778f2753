/**
 * Posts: the explorer's paged search and the CSV / JSONL export of the same filter.
 */
import type { FastifyInstance } from 'fastify';
import type { VocConfig } from '../../core/config.js';
import type { Store } from '../../store/store.js';
import { allow, ANALYSTS } from '../auth.js';
import { PostSearch, type PostFilter, type PostHit } from '../post-search.js';
import { postCsvHeader, postCsvRow } from '../post-export.js';

const FILTER_PROPERTIES = {
  brand: { type: 'string', maxLength: 100 },
  period: { type: 'string', pattern: '^\\d{4}-\\d{2}$', description: 'YYYY-MM in the config time zone' },
  from: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD, inclusive' },
  to: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD, inclusive' },
  source: { type: 'string', maxLength: 200 },
  targetId: { type: 'string', maxLength: 100 },
  channel: { type: 'string', maxLength: 100 },
  polarity: { type: 'string', enum: ['pos', 'neg', 'neutral', 'mixed'] },
  breakpoint: { type: 'string', enum: ['any', 'inconsistency', 'handoff', 'runaround'] },
  aspect: { type: 'string', maxLength: 100 },
  scenario: { type: 'string', maxLength: 100 },
  question: { type: 'boolean' },
  q: { type: 'string', maxLength: 500, description: 'words that must all appear in the text' },
} as const;

function filterOf(query: Record<string, unknown>): PostFilter {
  const f: Record<string, unknown> = {};
  for (const key of Object.keys(FILTER_PROPERTIES)) if (query[key] !== undefined && query[key] !== '') f[key] = query[key];
  return f as PostFilter;
}

export async function postRoutes(app: FastifyInstance, opts: { store: Store; config: VocConfig }): Promise<void> {
  const { store, config } = opts;
  const guard = { onRequest: allow(...ANALYSTS) };
  const search = new PostSearch(store, config.timeZone);
  app.addHook('onReady', async () => search.warm());

  app.get(
    '/api/posts',
    {
      ...guard,
      schema: {
        tags: ['posts'],
        summary: 'Posts with their classification, newest first, one page at a time',
        querystring: {
          type: 'object',
          properties: { ...FILTER_PROPERTIES, page: { type: 'integer', minimum: 1, default: 1 }, pageSize: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        },
      },
    },
    async (req) => {
      const query = req.query as Record<string, unknown> & { page: number; pageSize: number };
      const { total, items } = await search.page(filterOf(query), query.page, query.pageSize);
      return { total, page: query.page, pageSize: query.pageSize, items };
    },
  );

  app.get(
    '/api/posts/export',
    {
      ...guard,
      schema: {
        tags: ['posts'],
        summary: 'Every matching post as CSV (UTF-8 with BOM, for spreadsheets) or JSON Lines',
        querystring: { type: 'object', properties: { ...FILTER_PROPERTIES, format: { type: 'string', enum: ['csv', 'jsonl'], default: 'csv' } } },
      },
    },
    async (req, reply) => {
      const query = req.query as Record<string, unknown> & { format: 'csv' | 'jsonl' };
      const filter = filterOf(query);
      const batches = search.all(filter);
      // Reading the first batch before answering turns a bad filter into a 400, not a broken download.
      const first = await batches.next();
      const csv = query.format === 'csv';
      reply
        .type(csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="voc-posts.${csv ? 'csv' : 'jsonl'}"`);
      const line = (h: PostHit) => (csv ? postCsvRow(h) : JSON.stringify(h)) + '\n';
      async function* body(): AsyncGenerator<string> {
        if (csv) yield postCsvHeader(true) + '\n';
        if (!first.done) yield first.value.map(line).join('');
        for await (const hits of batches) yield hits.map(line).join('');
      }
      const { Readable } = await import('node:stream');
      return reply.send(Readable.from(body()));
    },
  );
}
