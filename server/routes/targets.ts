/**
 * Targets: list, show, add, replace, remove, the extraction preview (fetch one or two pages
 * of a target that is not stored, through the same fetcher, robots.txt policy and address
 * safety rules as a crawl, and return the posts it would extract), and a guess at a listing
 * page's selectors (the same fetch; crawlers/suggest.ts).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { errorText, inLocale, RefusedUrlError } from '../../core/errors.js';
import type { Post } from '../../core/types.js';
import { createCrawlContext } from '../../crawlers/context.js';
import { crawlTarget } from '../../crawlers/crawl-target.js';
import { groupMessage, pageErrorText } from '../../crawlers/stats.js';
import { preflightTargets, UnreachableTargetError } from '../../cli/preflight.js';
import { examinePage, suggestionTarget } from '../../crawlers/suggest.js';
import { readProgress } from '../../crawlers/crawl-state.js';
import type { StageDeps } from '../../workers/deps.js';
import { allow, ANALYSTS, sendError } from '../auth.js';
import { targetFromInput } from '../target-input.js';
import { requestLang, say } from '../messages.js';

const ID_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'string', maxLength: 100 } } } as const;
/** Posts returned by a preview: enough to judge the selectors, small enough to show at once. */
const PREVIEW_POSTS = 50;

export async function targetRoutes(app: FastifyInstance, opts: { deps: StageDeps }): Promise<void> {
  const { store, config } = opts.deps;
  const guard = { onRequest: allow(...ANALYSTS) };
  const declared = () => new Set(config.targets.map((t) => t.id));
  // One context for every preview: its pacer and robots cache span previews, so a live preview
  // re-run as the analyst types still waits the per-host delay and fetches robots.txt once.
  // Nothing is stored: a throwaway key hashes the authors, and no snapshot is kept on disk.
  let previewCrawl: ReturnType<typeof createCrawlContext> | undefined;
  app.addHook('onClose', async () => previewCrawl?.close());

  app.get('/api/targets', { ...guard, schema: { tags: ['targets'], summary: 'All targets (from the config file and added in the console)' } }, async () => {
    const own = declared();
    return { targets: (await store.listTargets()).map((t) => ({ ...t, origin: own.has(t.id) ? 'config' : 'console' })) };
  });

  app.get('/api/targets/:id', { ...guard, schema: { tags: ['targets'], summary: 'A target and its crawl state', params: ID_PARAMS } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const target = await store.getTarget(id);
    if (!target) return sendError(reply, 404, say(req).unknownTarget(id));
    const state = await store.getCrawlState(id);
    return { target, origin: declared().has(id) ? 'config' : 'console', crawlState: state ? { ...readProgress(state), updatedAt: state.updatedAt } : null };
  });

  app.post('/api/targets', { ...guard, schema: { tags: ['targets'], summary: 'Add a target', body: { type: 'object' } } }, async (req, reply) => {
    const target = await targetFromInput(req.body, config);
    if (await store.getTarget(target.id)) return sendError(reply, 409, say(req).targetExists(target.id));
    await store.saveTarget(target);
    return reply.code(201).send({ target });
  });

  app.put('/api/targets/:id', { ...guard, schema: { tags: ['targets'], summary: 'Replace a target added in the console', params: ID_PARAMS, body: { type: 'object' } } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    const body = { ...(req.body as Record<string, unknown>) };
    if (body.id !== undefined && body.id !== id) return sendError(reply, 400, say(req).targetIdDiffers(String(body.id), id));
    body.id = id;
    const target = await targetFromInput(body, config);
    if (!(await store.getTarget(id))) return sendError(reply, 404, say(req).unknownTargetPut(id));
    await store.saveTarget(target);
    return { target };
  });

  app.delete('/api/targets/:id', { ...guard, schema: { tags: ['targets'], summary: 'Remove a target added in the console (its posts stay)', params: ID_PARAMS } }, async (req, reply) => {
    const { id } = req.params as { id: string };
    if (declared().has(id)) return sendError(reply, 400, say(req).targetDeclared(id));
    if (!(await store.removeTarget(id))) return sendError(reply, 404, say(req).unknownTarget(id));
    return reply.code(204).send();
  });

  app.post(
    '/api/targets/preview',
    {
      ...guard,
      // Each preview fetches from the site: bounded per client, on top of the shared per-host pacing.
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags: ['targets'],
        summary: 'Fetch 1-3 pages of a target (not stored) and return the posts it extracts, or why it was refused',
        body: {
          type: 'object',
          required: ['target'],
          properties: { target: { type: 'object' }, maxPages: { type: 'integer', minimum: 1, maximum: 3 } },
        },
      },
    },
    async (req) => {
      const { target: input, maxPages = 1 } = req.body as { target: Record<string, unknown>; maxPages?: number };
      // What the preview found wrong, in the language the console asked for.
      const lang = requestLang(req);
      // The id only has to be valid; the preview may be of a target being typed in.
      const withId = { id: 'preview', source: 'preview', ...input };
      let target;
      try {
        target = await targetFromInput(withId, config, { checkConfigOwned: false });
      } catch (err) {
        // Why the URL cannot be crawled, without the target's id (a spec typed in has only a placeholder).
        if (err instanceof UnreachableTargetError) return { posts: [], total: 0, refused: inLocale(lang, err.problem.en, err.problem.zh) };
        throw err;
      }
      previewCrawl ??= createCrawlContext({ config, authorSecret: randomBytes(16).toString('hex'), dataDir: false });
      const crawl = previewCrawl;
      const posts: Post[] = [];
      try {
        const summary = await crawlTarget(crawl, { ...target, stopAtKnown: false }, { maxPages, onPage: (p) => void posts.push(...p.posts) });
        const refused = summary.errors.find((e) => e.cause === 'refused' || e.cause === 'robots');
        return {
          posts: posts.slice(0, PREVIEW_POSTS),
          total: posts.length,
          pages: summary.pages,
          stoppedBecause: summary.stoppedBecause,
          errors: summary.errors.filter((e) => e !== refused).map((e) => pageErrorText(e, lang)),
          ...(refused ? { refused: groupMessage(refused, lang) } : {}),
        };
      } catch (err) {
        if (err instanceof RefusedUrlError) return { posts: [], total: 0, refused: errorText(err, lang) };
        throw err;
      }
    },
  );

  app.post(
    '/api/targets/suggest',
    {
      ...guard,
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags: ['targets'],
        summary: 'Fetch a listing page and guess the CSS selectors of its posts, with the first posts they extract (nothing stored)',
        body: { type: 'object', required: ['url'], properties: { url: { type: 'string', minLength: 1, maxLength: 2000 } } },
      },
    },
    async (req) => {
      const { url } = req.body as { url: string };
      const lang = requestLang(req);
      const target = suggestionTarget(url, config, 'url');
      try {
        await preflightTargets([target]);
      } catch (err) {
        if (err instanceof UnreachableTargetError) return { selectors: null, refused: inLocale(lang, err.problem.en, err.problem.zh) };
        throw err;
      }
      previewCrawl ??= createCrawlContext({ config, authorSecret: randomBytes(16).toString('hex'), dataDir: false });
      try {
        const found = await examinePage(previewCrawl, target, 5);
        // A PDF, a feed, JSON or an empty page is named for what it is (as voc targets suggest does).
        if ('unsuitable' in found) return { selectors: null, message: errorText(found.unsuitable, lang) };
        if ('none' in found) return { selectors: null, message: say(req).noSuggestion };
        return found;
      } catch (err) {
        if (err instanceof RefusedUrlError) return { selectors: null, refused: errorText(err, lang) };
        throw err;
      }
    },
  );
}
