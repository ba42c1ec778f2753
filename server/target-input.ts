/**
 * Turns a target posted to the API into a Target, with the checks of `voc targets add`: schema,
 * known brand, not owned by the config file, and a start URL the crawl safety rules accept. The
 * API never takes `allowPrivate` from the client: only the config file's
 * `crawler.allowPrivateHosts` may open private addresses, or the preview would reach the intranet.
 */
import { checkTargetAgainstConfig, resolveTarget, type TargetInput, type VocConfig } from '../core/config.js';
import { InputError, errorText } from '../core/errors.js';
import type { Target } from '../core/types.js';
import { preflightTargets } from '../cli/preflight.js';
import { PRESETS } from '../crawlers/presets.js';

/** Parameters a preset builds its URL from (`url` itself is the target's own field). */
export const PRESET_PARAMS = ['hashtag', 'query', 'subreddit', 'app', 'country', 'base'] as const;

/**
 * A preset target may come with `presetParams` (hashtag, query, ..., base) instead of a URL: the
 * URL is then built as `voc targets add --preset` builds it, and the params are not stored.
 */
function withPresetUrl(input: Record<string, unknown>): Record<string, unknown> {
  const { presetParams, ...rest } = input;
  if (presetParams === undefined) return rest;
  if (!presetParams || typeof presetParams !== 'object' || Array.isArray(presetParams))
    throw new InputError({
      en: `target.presetParams: expected an object with ${PRESET_PARAMS.join(', ')}`,
      zh: `target.presetParams：应为对象，可包含 ${PRESET_PARAMS.join('、')}`,
    });
  const preset = typeof rest.preset === 'string' ? PRESETS[rest.preset as keyof typeof PRESETS] : undefined;
  if (!preset) {
    throw new InputError({
      en: `target.preset: presetParams need a preset, one of ${Object.keys(PRESETS).join(', ')}`,
      zh: `target.preset：使用 presetParams 时必须指定预设，可选：${Object.keys(PRESETS).join('、')}`,
    });
  }
  const params: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(presetParams)) {
    if (!(PRESET_PARAMS as readonly string[]).includes(key)) {
      throw new InputError({
        en: `target.presetParams.${key}: unknown parameter; expected ${PRESET_PARAMS.join(', ')}`,
        zh: `target.presetParams.${key}：未知参数；可选：${PRESET_PARAMS.join('、')}`,
      });
    }
    if (typeof value !== 'string') throw new InputError({ en: `target.presetParams.${key}: expected a string`, zh: `target.presetParams.${key}：应为字符串` });
    params[key] = value;
  }
  try {
    return { ...rest, url: preset.url(params) };
  } catch (err) {
    // The preset speaks in CLI flags (`--hashtag`); the API's field is presetParams.hashtag.
    if (err instanceof InputError) {
      const required = /^preset ([\w-]+): --(\w+) is required$/.exec(err.message);
      throw new InputError({
        en: err.message.replace(/^preset ([\w-]+): --(\w+) is required$/, 'target.presetParams.$2: required by preset $1'),
        zh: required ? `target.presetParams.${required[2]}：预设 ${required[1]} 必须提供此参数` : errorText(err, 'zh-CN'),
      });
    }
    throw err;
  }
}

export async function targetFromInput(input: unknown, config: VocConfig, opts: { checkConfigOwned?: boolean } = {}): Promise<Target> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    throw new InputError({ en: 'target: expected an object with id, brand, url, selectors...', zh: 'target：应为对象，包含 id、brand、url、selectors 等字段' });
  }
  if ('allowPrivate' in input) {
    throw new InputError({
      en: 'target.allowPrivate: not accepted from the console; an administrator lists intranet hosts under crawler.allowPrivateHosts in voc.config.yaml',
      zh: 'target.allowPrivate：控制台不接受此字段；内网主机须由管理员在 voc.config.yaml 的 crawler.allowPrivateHosts 中列出',
    });
  }
  const target = resolveTarget(withPresetUrl(input as Record<string, unknown>) as TargetInput, config, 'target');
  checkTargetAgainstConfig(target, config, (name) => `target.${name}`, opts);
  await preflightTargets([target]);
  return target;
}
