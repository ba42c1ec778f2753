/**
 * POST /api/explain: classify a text an analyst types, storing nothing, with the classifier the
 * crawls use (the config's lexicon additions and trained models included). The console shows the
 * answer with its evidence marked, so an analyst can see why a post would count where it does in a
 * report before a crawl brings posts like it.
 */
import type { FastifyInstance } from 'fastify';
import { findBrand, type VocConfig } from '../../core/config.js';
import type { Classifier } from '../../analysis/classifier.js';
import { allow, ANALYSTS } from '../auth.js';

/** Longest text accepted (characters): a long review, not a document. */
export const EXPLAIN_MAX_CHARS = 20_000;

export async function explainRoutes(app: FastifyInstance, opts: { config: VocConfig; classifier: Classifier }): Promise<void> {
  const { config, classifier } = opts;
  app.post(
    '/api/explain',
    {
      onRequest: allow(...ANALYSTS),
      schema: {
        tags: ['posts'],
        summary: 'Classify a text without storing it: every label with its evidence span',
        body: {
          type: 'object',
          required: ['text'],
          properties: {
            text: { type: 'string', minLength: 1, maxLength: EXPLAIN_MAX_CHARS },
            brand: { type: 'string', maxLength: 100, description: "the brand whose names and aspect taxonomy apply (default: the config's first brand)" },
          },
        },
      },
    },
    async (req) => {
      const body = req.body as { text: string; brand?: string };
      const brand = body.brand !== undefined ? findBrand(config, body.brand).id : (config.brands[0]?.id ?? '');
      return { classification: classifier.classify({ id: 'explain', text: body.text, brand }) };
    },
  );
}
