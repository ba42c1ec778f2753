/**
 * Every chart of a report, rendered once from the figures (ECharts server-side SVG). Kept apart
 * from the view model so that chart rendering can be timed on its own (bench/report.ts) and a
 * caller can render the charts of one report once for several outputs.
 */
import type { Locale } from '../core/types.js';
import type { ReportFigures } from './aggregate.js';
import { channelChartSvg, promiseHeatmapSvg, quadrantChartSvg, trendChartSvg } from './charts.js';
import { formatCount, formatNss, formatPercent, formatShortDay } from './format.js';
import { t } from './i18n.js';
import type { Labels } from './labels.js';

export interface ReportCharts {
  channels: string;
  heatmap: string;
  trend: string;
  quadrant: string;
  competitors: string;
}

/** Renders the charts of `figures` in `locale` (empty strings for charts without data). */
export function buildCharts(figures: ReportFigures, locale: Locale, labels: Labels): ReportCharts {
  const na = t(locale, 'notAvailable');
  const channelLabel = (id: string) => labels.channel(id, locale);
  const channels = figures.channels.length
    ? channelChartSvg(
        figures.channels.map((c) => ({
          label: channelLabel(c.channel),
          mentions: c.mentions,
          nss: c.nss.estimate === null ? null : c.nss.estimate * 100,
          lower: c.nss.lower * 100,
          upper: c.nss.upper * 100,
          nssText: formatNss(c.nss.estimate, na),
        })),
        { mentionsTitle: t(locale, 'chartMentions'), nssTitle: t(locale, 'chartNss') },
      )
    : '';

  const heatmap = figures.matrix.channels.length
    ? promiseHeatmapSvg({
        rows: figures.matrix.channels.map(channelLabel),
        columns: figures.matrix.promises.map((p) => labels.promise(p, locale)),
        cells: figures.matrix.cells.map((row) =>
          row.map((cell) => {
            const f = cell.fulfilment;
            return f.estimate === null ? { value: null, text: na } : { value: f.estimate, text: `${formatPercent(f.estimate, locale)}\nn = ${formatCount(f.n, locale)}` };
          }),
        ),
        lowCaption: formatPercent(0, locale),
        highCaption: formatPercent(1, locale),
      })
    : '';

  const dayIndex = new Map(figures.trend.days.map((d, i) => [d.date, i]));
  const trend =
    figures.trend.days.length && !figures.empty
      ? trendChartSvg({
          days: figures.trend.days.map((d) => formatShortDay(d.date)),
          posts: figures.trend.days.map((d) => d.posts),
          negative: figures.trend.days.map((d) => d.neg),
          spikes: figures.trend.spikes.map((s) => ({ index: dayIndex.get(s.date)!, label: String(s.posts) })),
          markers: figures.campaigns.filter((c) => dayIndex.has(c.date)).map((c) => ({ index: dayIndex.get(c.date)!, label: c.name })),
          text: { posts: t(locale, 'chartPosts'), negative: t(locale, 'chartNegative') },
        })
      : '';

  const placed = figures.aspects.rows;
  const quadrant =
    placed.some((a) => a.quadrant !== 'insufficient') && figures.aspects.praiseBaseline !== null && figures.aspects.complaintBaseline !== null
      ? quadrantChartSvg({
          points: placed.map((a) => ({
            label: labels.aspect(a.aspect, locale),
            complaint: a.complaintShare.estimate!,
            praise: a.praiseShare.estimate!,
            n: a.posts,
            quadrant: a.quadrant,
          })),
          praiseBaseline: figures.aspects.praiseBaseline,
          complaintBaseline: figures.aspects.complaintBaseline,
          text: {
            x: t(locale, 'chartComplaint'),
            y: t(locale, 'chartPraise'),
            safe_bet: t(locale, 'quadrant_safe_bet'),
            hotspot: t(locale, 'quadrant_hotspot'),
            polarising: t(locale, 'quadrant_polarising'),
            quiet: t(locale, 'quadrant_quiet'),
          },
        })
      : '';

  const competitors =
    figures.competitors && figures.competitors.rows.length > 1
      ? channelChartSvg(
          figures.competitors.rows.map((r) => ({
            label: r.name,
            mentions: r.posts,
            nss: r.nss.estimate === null ? null : r.nss.estimate * 100,
            lower: r.nss.lower * 100,
            upper: r.nss.upper * 100,
            nssText: formatNss(r.nss.estimate, na),
          })),
          { mentionsTitle: t(locale, 'chartSharePosts'), nssTitle: t(locale, 'chartNss') },
        )
      : '';

  return { channels, heatmap, trend, quadrant, competitors };
}
