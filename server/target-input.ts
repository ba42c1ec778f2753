/**
 * Turns a target posted to the API into a Target, with the checks of `voc targets add`: schema,
 * known brand, not owned by the config file, and a start URL the crawl safety rules accept. The
 * API never takes `allowPrivate` from the client: only the config file's
 * `crawler.allowPrivateHosts` may open private addresses, or the preview would reach the intranet.
 */
import { resolveTarget, type TargetInput, type VocConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';
import type { Target } from '../core/types.js';
import { preflightTargets } from '../cli/preflight.js';

export async function targetFromInput(input: unknown, config: VocConfig, opts: { checkConfigOwned?: boolean } = {}): Promise<Target> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new InputError('target: expected an object with id, brand, url, selectors...');
  if ('allowPrivate' in input)
    throw new InputError('target.allowPrivate: not accepted from the console; an administrator lists intranet hosts under crawler.allowPrivateHosts in voc.config.yaml');
  const target = resolveTarget(input as TargetInput, config, 'target');
  if (!config.brands.some((b) => b.id === target.brand))
    throw new InputError(`target.brand: unknown brand "${target.brand}"; expected one of ${config.brands.map((b) => b.id).join(', ') || 'none defined'}`);
  if (opts.checkConfigOwned !== false && config.targets.some((t) => t.id === target.id))
    throw new InputError(`target.id: target "${target.id}" is declared in the config file; change it there`);
  await preflightTargets([target]);
  return target;
}
