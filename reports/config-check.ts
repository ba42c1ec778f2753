/**
 * Cross-checks of the report part of voc.config.yaml that zod cannot express field by field:
 * campaigns and scheduled reports must name a configured brand, schedule ids must be unique,
 * e-mail delivery needs an `smtp` section. One InputError line naming the field, like the rest
 * of the config validation.
 */
import { CONFIG_FILE, type VocConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';

/** Throws an InputError for the first inconsistency of `campaigns`, `reports` or `smtp`. */
export function checkReportConfig(config: VocConfig, origin = CONFIG_FILE): void {
  const brands = config.brands.map((b) => b.id);
  const known = brands.join(', ') || 'none defined';
  config.campaigns.forEach((c, i) => {
    if (!brands.includes(c.brand))
      throw new InputError(`${origin}: campaigns.${i}.brand: unknown brand "${c.brand}"; expected one of the ids under brands (${known})`);
  });
  const ids = new Set<string>();
  config.reports.forEach((r, i) => {
    if (ids.has(r.id)) throw new InputError(`${origin}: reports.${i}.id: duplicate report id "${r.id}"; ids must be unique`);
    ids.add(r.id);
    if (!brands.includes(r.brand))
      throw new InputError(`${origin}: reports.${i}.brand: unknown brand "${r.brand}"; expected one of the ids under brands (${known})`);
    if (r.schedule !== undefined && !/^\S+(\s+\S+){4,5}$/.test(r.schedule.trim()))
      throw new InputError(`${origin}: reports.${i}.schedule: expected a cron pattern of 5 fields such as "0 9 * * 1" (Mondays 09:00), got "${r.schedule}"`);
    if (r.deliver.email && !config.smtp)
      throw new InputError(`${origin}: reports.${i}.deliver.email: e-mail delivery needs an smtp section (host, port, from) in ${origin}`);
  });
}
