/**
 * GET /api/meta: what the UI needs to build its forms (brands, channels with labels, target
 * kinds, breakpoint kinds, the run mode and whether schedules are available).
 */
import type { FastifyInstance } from 'fastify';
import type { VocConfig } from '../../core/config.js';
import { BREAKPOINT_KINDS, DEFAULT_CHANNELS, TARGET_KINDS } from '../../core/types.js';
import { reportLabels } from '../../workers/labels.js';
import { PRESETS } from '../../crawlers/presets.js';
import { allow, ALL_ROLES } from '../auth.js';
import { PRESET_PARAMS } from '../target-input.js';
import { EXPLAIN_MAX_CHARS } from './explain.js';

export async function metaRoutes(app: FastifyInstance, opts: { config: VocConfig; runMode: string; schedules: boolean }): Promise<void> {
  const { config } = opts;
  const labels = reportLabels(config);
  const channelIds = [...new Set([...DEFAULT_CHANNELS, ...Object.keys(config.channels)])];
  app.get('/api/meta', { onRequest: allow(...ALL_ROLES), schema: { tags: ['session'], summary: 'Brands, channels, kinds: the vocabulary of the forms' } }, async () => ({
    locale: config.locale,
    timeZone: config.timeZone,
    brands: config.brands.map((b) => ({ id: b.id, name: b.name })),
    channels: channelIds.map((id) => ({ id, 'zh-CN': labels.channel(id, 'zh-CN'), en: labels.channel(id, 'en') })),
    targetKinds: TARGET_KINDS,
    // The editor builds its preset fields from these: the kind a preset sets and the parameters it needs.
    presets: Object.values(PRESETS).map((p) => ({ name: p.name, kind: p.kind, params: p.params.filter((x) => (PRESET_PARAMS as readonly string[]).includes(x)) })),
    breakpointKinds: BREAKPOINT_KINDS,
    runMode: opts.runMode,
    schedules: opts.schedules,
    // The try-a-text box states and enforces the limit POST /api/explain applies: one number, here.
    explainMaxChars: EXPLAIN_MAX_CHARS,
  }));
}
