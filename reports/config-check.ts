/**
 * Cross-checks of the report part of voc.config.yaml that zod cannot express field by field:
 * campaigns and scheduled reports must name a configured brand, schedule ids must be unique,
 * e-mail delivery needs an `smtp` section. One InputError line naming the field, like the rest
 * of the config validation.
 */
import { brandIdList, CONFIG_FILE, type VocConfig } from '../core/config.js';
import { InputError } from '../core/errors.js';

/** Throws an InputError for the first inconsistency of `campaigns`, `reports` or `smtp`. */
export function checkReportConfig(config: VocConfig, origin = CONFIG_FILE): void {
  const brands = config.brands.map((b) => b.id);
  const { en: known, zh: knownZh } = brandIdList(brands);
  config.campaigns.forEach((c, i) => {
    if (!brands.includes(c.brand))
      throw new InputError({
        en: `${origin}: campaigns.${i}.brand: unknown brand "${c.brand}"; expected one of the ids under brands (${known})`,
        zh: `${origin}：campaigns.${i}.brand：未知品牌“${c.brand}”；应为 brands 下的某个 id（${knownZh}）`,
      });
  });
  const ids = new Set<string>();
  config.reports.forEach((r, i) => {
    if (ids.has(r.id)) {
      throw new InputError({
        en: `${origin}: reports.${i}.id: duplicate report id "${r.id}"; ids must be unique`,
        zh: `${origin}：reports.${i}.id：报告 ID“${r.id}”重复；ID 必须唯一`,
      });
    }
    ids.add(r.id);
    if (!brands.includes(r.brand))
      throw new InputError({
        en: `${origin}: reports.${i}.brand: unknown brand "${r.brand}"; expected one of the ids under brands (${known})`,
        zh: `${origin}：reports.${i}.brand：未知品牌“${r.brand}”；应为 brands 下的某个 id（${knownZh}）`,
      });
    if (r.schedule !== undefined && !/^\S+(\s+\S+){4,5}$/.test(r.schedule.trim()))
      throw new InputError({
        en: `${origin}: reports.${i}.schedule: expected a cron pattern of 5 fields such as "0 9 * * 1" (Mondays 09:00), got "${r.schedule}"`,
        zh: `${origin}：reports.${i}.schedule：应为 5 个字段的 cron 表达式，例如 "0 9 * * 1"（每周一 09:00），实际为“${r.schedule}”`,
      });
    if (r.deliver.email && !config.smtp)
      throw new InputError({
        en: `${origin}: reports.${i}.deliver.email: e-mail delivery needs an smtp section (host, port, from) in ${origin}`,
        zh: `${origin}：reports.${i}.deliver.email：邮件投递需要在 ${origin} 中配置 smtp 部分（host、port、from）`,
      });
  });
}
