/**
 * POST /api/explain: classify a text an analyst types, storing nothing, with the classifier the
 * crawls use (the config's lexicon additions and trained models included). The answer carries the
 * labels of the aspect, scenario and promise ids it names in the caller's language, so the console
 * shows what the report would call them. The console marks the evidence, so an analyst can see why
 * a post would count where it does in a report before a crawl brings posts like it.
 */
import type { FastifyInstance } from 'fastify';
import { findBrand, type VocConfig } from '../../core/config.js';
import type { Classification, Locale } from '../../core/types.js';
import type { Classifier } from '../../analysis/classifier.js';
import { aspectLabel, breakpointCueLabel, promiseLabel, scenarioLabel, scenarioTypeLabel } from '../../analysis/labels.js';
import { allow, ANALYSTS, sendError } from '../auth.js';
import { requestLang, say } from '../messages.js';

/** Longest text accepted (characters): a long review, not a document. */
export const EXPLAIN_MAX_CHARS = 20_000;

/** Labels of the ids a classification names, in one language. */
export interface ExplainLabels {
  aspects: Record<string, string>;
  scenarios: Record<string, string>;
  scenarioTypes: Record<string, string>;
  promises: Record<string, string>;
  /** Breakpoint cue ids by name (拒绝接续办理 for transfer_refused); a brand's own cue by its id. */
  cues: Record<string, string>;
}

export async function explainRoutes(app: FastifyInstance, opts: { config: VocConfig; classifier: Classifier }): Promise<void> {
  const { config, classifier } = opts;
  app.post(
    '/api/explain',
    {
      onRequest: allow(...ANALYSTS),
      // Classifying costs CPU in the serving process (a long text: a few hundred ms): bounded per client.
      config: { rateLimit: { max: 60, timeWindow: 60_000 } },
      schema: {
        tags: ['posts'],
        summary: 'Classify a text without storing it: every label with its evidence span, and the labels of the ids it names',
        body: {
          type: 'object',
          required: ['text'],
          properties: {
            text: { type: 'string', minLength: 1, maxLength: EXPLAIN_MAX_CHARS },
            brand: { type: 'string', maxLength: 100, description: "the brand whose names and aspect taxonomy apply; needed when the config has two or more" },
          },
        },
      },
    },
    async (req, reply) => {
      const body = req.body as { text: string; brand?: string };
      if (!body.text.trim()) return sendError(reply, 400, say(req).explainEmpty);
      // As `voc explain`: the only brand by default; with several, the caller must say which.
      if (body.brand === undefined && config.brands.length > 1) return sendError(reply, 400, say(req).explainBrand(config.brands.map((b) => b.id)));
      const brand = body.brand !== undefined ? findBrand(config, body.brand) : config.brands[0];
      const classification = classifier.classify({ id: 'explain', text: body.text, brand: brand?.id ?? '' });
      return { classification, labels: labelsOf(classification, requestLang(req), classifier, brand?.aspectTaxonomy) };
    },
  );
}

/** The labels of the aspect, scenario, promise and cue ids `c` names, as reports print them. */
export function labelsOf(c: Classification, locale: Locale, classifier: Classifier, taxonomy: string | undefined): ExplainLabels {
  const lex = classifier.lexicons;
  const map = (ids: Iterable<string>, label: (id: string) => string) => Object.fromEntries([...new Set(ids)].map((id) => [id, label(id)]));
  return {
    aspects: map([...c.aspects.map((a) => a.aspect), ...c.scenarios.flatMap((s) => s.linked?.aspects ?? [])], (id) => aspectLabel(id, locale, taxonomy, lex)),
    scenarios: map(c.scenarios.map((s) => s.scenario), (id) => scenarioLabel(id, locale, lex)),
    scenarioTypes: map(c.scenarios.map((s) => s.type), (type) => scenarioTypeLabel(type, locale)),
    promises: map(c.descriptors.map((d) => d.promise), (id) => promiseLabel(id, locale, lex)),
    cues: map(c.breakpoints.map((b) => b.cue), (id) => breakpointCueLabel(id, locale)),
  };
}
