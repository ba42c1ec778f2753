/**
 * Server-side charts: Apache ECharts renders to an SVG string (no DOM, no browser), which the
 * report inlines. The SVG is static (no animation, no script, no hover styles), carries its own
 * numbers so it stays readable when printed in greyscale, and uses the report's CJK font.
 */
import { createRequire } from 'node:module';
import type * as Echarts from 'echarts';

export const CHART_FONT = "'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif";
/** Width that fits the A4 text block (210 mm - 2 x 14 mm margins at 96 dpi ~ 688 px). */
export const CHART_WIDTH = 680;

const INK = '#1f2933';
const MUTED = '#616e7c';
const GRID_LINE = '#d9dee4';
const VOLUME_BAR = '#4c6a8a';
const POSITIVE_BAR = '#2f7d6d';
const NEGATIVE_BAR = '#b5473a';

// ECharts measures text to lay out labels; without a canvas in Node it falls back to a rough
// Latin estimate that under-sizes CJK. Full-width characters are one em wide in Noto Sans CJK.
// Loaded on first use: ECharts takes ~0.6 s of CPU to import, which every `voc` command would
// otherwise pay (the CLI imports the report module for `voc report` alone).
let loaded: typeof Echarts | undefined;
function echartsLib(): typeof Echarts {
  if (loaded) return loaded;
  const lib = createRequire(import.meta.url)('echarts') as typeof Echarts;
  lib.setPlatformAPI({
    measureText(text: string, font?: string) {
      const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12);
      let em = 0;
      for (const ch of text) {
        const cp = ch.codePointAt(0)!;
        if (cp >= 0x2e80 || (cp >= 0x1100 && cp <= 0x11ff)) em += 1;
        else if (ch === ' ') em += 0.3;
        else if (/[A-Z0-9%]/.test(ch)) em += 0.62;
        else em += 0.52;
      }
      return { width: em * size };
    },
  });
  loaded = lib;
  return lib;
}

export interface ChannelChartRow {
  label: string;
  mentions: number;
  /** NSS and its interval in points (-100..100); null when undefined (no pos/neg post). */
  nss: number | null;
  lower: number;
  upper: number;
  /** Formatted NSS printed next to its bar. */
  nssText: string;
}

export interface ChannelChartText {
  mentionsTitle: string;
  nssTitle: string;
}

/**
 * Two panels sharing the channel axis: posts per channel (left) and NSS with its 95% interval
 * as a whisker (right). Values are printed on the bars.
 */
export function channelChartSvg(rows: readonly ChannelChartRow[], text: ChannelChartText): string {
  const height = 70 + rows.length * 30;
  const labels = rows.map((r) => r.label);
  const leftWidth = 200;
  const labelWidth = 110;
  const valueColumn = 64;
  const category = (gridIndex: number, show: boolean) => ({
    type: 'category' as const,
    gridIndex,
    data: labels,
    inverse: true,
    axisTick: { show: false },
    axisLine: { lineStyle: { color: MUTED } },
    axisLabel: { show, color: INK, fontSize: 12, width: labelWidth - 8, overflow: 'truncate' as const },
  });
  const option = {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: CHART_FONT, color: INK },
    title: [
      { text: text.mentionsTitle, left: labelWidth, top: 4, textStyle: { fontSize: 12, fontWeight: 'bold' as const, color: INK } },
      { text: text.nssTitle, left: labelWidth + leftWidth + 40, top: 4, textStyle: { fontSize: 12, fontWeight: 'bold' as const, color: INK } },
    ],
    grid: [
      { left: labelWidth, top: 34, width: leftWidth, bottom: 28 },
      // The right margin holds the NSS figures as a column, clear of bars and whiskers.
      { left: labelWidth + leftWidth + 40, top: 34, right: valueColumn, bottom: 28 },
    ],
    yAxis: [category(0, true), category(1, false)],
    xAxis: [
      {
        type: 'value' as const,
        gridIndex: 0,
        minInterval: 1,
        axisLabel: { color: MUTED, fontSize: 10 },
        splitLine: { lineStyle: { color: GRID_LINE } },
      },
      {
        type: 'value' as const,
        gridIndex: 1,
        min: -100,
        max: 100,
        interval: 50,
        axisLabel: { color: MUTED, fontSize: 10 },
        splitLine: { lineStyle: { color: GRID_LINE } },
      },
    ],
    series: [
      {
        type: 'bar' as const,
        xAxisIndex: 0,
        yAxisIndex: 0,
        barWidth: 16,
        data: rows.map((r) => r.mentions),
        itemStyle: { color: VOLUME_BAR },
        label: { show: true, position: 'right' as const, color: INK, fontSize: 11 },
      },
      {
        type: 'bar' as const,
        xAxisIndex: 1,
        yAxisIndex: 1,
        barWidth: 16,
        data: rows.map((r) => ({
          value: r.nss ?? 0,
          itemStyle: { color: (r.nss ?? 0) < 0 ? NEGATIVE_BAR : POSITIVE_BAR },
        })),
      },
      {
        // 95% interval whiskers over the NSS bars, and the NSS figure in the right-hand column.
        type: 'custom' as const,
        xAxisIndex: 1,
        yAxisIndex: 1,
        z: 10,
        silent: true,
        clip: false,
        data: rows.map((r, i) => [r.lower, r.upper, i]),
        renderItem: (params: Echarts.CustomSeriesRenderItemParams, api: Echarts.CustomSeriesRenderItemAPI) => {
          const row = rows[params.dataIndex]!;
          const lo = api.coord([api.value(0), api.value(2)]);
          const hi = api.coord([api.value(1), api.value(2)]);
          const end = api.coord([100, api.value(2)]);
          const y = lo[1]!;
          const cap = 5;
          const style = { stroke: INK, lineWidth: 1 };
          const figure = {
            type: 'text',
            x: end[0]! + valueColumn - 6,
            y,
            style: { text: row.nssText, fill: INK, font: `bold 11px ${CHART_FONT}`, align: 'right', verticalAlign: 'middle' },
          };
          // An undefined NSS has no interval worth drawing (it would span the whole axis).
          if (row.nss === null) return { type: 'group', children: [figure] };
          return {
            type: 'group',
            children: [
              { type: 'line', shape: { x1: lo[0], y1: y, x2: hi[0], y2: y }, style },
              { type: 'line', shape: { x1: lo[0], y1: y - cap, x2: lo[0], y2: y + cap }, style },
              { type: 'line', shape: { x1: hi[0], y1: y - cap, x2: hi[0], y2: y + cap }, style },
              figure,
            ],
          };
        },
      },
    ],
  };
  return renderSvg(option, CHART_WIDTH, height);
}

export interface HeatmapCell {
  /** Fulfilment in [0, 1]; null when the cell has no evidence. */
  value: number | null;
  /** Text printed in the cell (e.g. `83.3%` and `n = 12`), already formatted. */
  text: string;
}

export interface HeatmapInput {
  rows: readonly string[];
  columns: readonly string[];
  /** cells[row][column] */
  cells: readonly (readonly HeatmapCell[])[];
  /** Legend captions for 0% and 100%. */
  lowCaption: string;
  highCaption: string;
}

/**
 * The channel x promise heatmap: one rectangle per cell coloured on a red-white-blue ramp by
 * fulfilment, with the figure and n printed inside (so greyscale prints stay readable).
 * Drawn with a custom series rather than the heatmap series, whose colours need a visualMap
 * that cannot leave "no evidence" cells blank.
 */
export function promiseHeatmapSvg(input: HeatmapInput): string {
  const labelWidth = 110;
  const cellHeight = 44;
  const top = 40;
  const legendHeight = 40;
  const height = top + input.rows.length * cellHeight + legendHeight;
  const data: Array<[number, number, number | null, string]> = [];
  input.cells.forEach((row, r) => row.forEach((cell, c) => data.push([c, r, cell.value, cell.text])));
  const legendStops = [0, 0.25, 0.5, 0.75, 1];
  const legendY = height - 26;
  const option = {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: CHART_FONT, color: INK },
    grid: { left: labelWidth, right: 12, top, bottom: legendHeight },
    xAxis: {
      type: 'category' as const,
      position: 'top' as const,
      data: [...input.columns],
      axisTick: { show: false },
      axisLine: { show: false },
      splitLine: { show: false },
      axisLabel: { color: INK, fontSize: 12, interval: 0, width: Math.max(60, (CHART_WIDTH - labelWidth) / Math.max(1, input.columns.length) - 6), overflow: 'truncate' as const },
    },
    yAxis: {
      type: 'category' as const,
      inverse: true,
      data: [...input.rows],
      axisTick: { show: false },
      axisLine: { show: false },
      axisLabel: { color: INK, fontSize: 12, width: labelWidth - 10, overflow: 'truncate' as const },
    },
    series: [
      {
        type: 'custom' as const,
        silent: true,
        data,
        renderItem: (params: Echarts.CustomSeriesRenderItemParams, api: Echarts.CustomSeriesRenderItemAPI) => {
          const [c, r, value, text] = data[params.dataIndex]!;
          const centre = api.coord([c, r]);
          const size = api.size!([1, 1]) as number[];
          const w = size[0]! - 4;
          const h = size[1]! - 4;
          const fill = value === null ? '#ffffff' : rampColour(value);
          return {
            type: 'group',
            children: [
              {
                type: 'rect',
                shape: { x: centre[0]! - w / 2, y: centre[1]! - h / 2, width: w, height: h, r: 2 },
                style: { fill, stroke: value === null ? GRID_LINE : 'none', lineWidth: 1 },
              },
              {
                type: 'text',
                x: centre[0],
                y: centre[1],
                style: {
                  text,
                  fill: value === null ? MUTED : textColourOn(fill),
                  font: `12px ${CHART_FONT}`,
                  align: 'center',
                  verticalAlign: 'middle',
                  lineHeight: 15,
                },
              },
            ],
          };
        },
      },
    ],
    graphic: [
      ...legendStops.map((stop, i) => ({
        type: 'rect' as const,
        left: labelWidth + i * 36,
        top: legendY,
        shape: { width: 34, height: 12 },
        style: { fill: rampColour(stop), stroke: GRID_LINE },
      })),
      {
        type: 'text' as const,
        left: labelWidth + legendStops.length * 36 + 8,
        top: legendY,
        style: { text: `${input.lowCaption} → ${input.highCaption}`, fill: MUTED, font: `11px ${CHART_FONT}` },
      },
    ],
  };
  return renderSvg(option, CHART_WIDTH, height);
}

export interface TrendChartInput {
  /** `MM-DD` labels, one per day. */
  days: readonly string[];
  posts: readonly number[];
  negative: readonly number[];
  /** Indexes of spike days and the label printed over each. */
  spikes: ReadonlyArray<{ index: number; label: string }>;
  /** Campaign launches: day index and label of a vertical marker. */
  markers: ReadonlyArray<{ index: number; label: string }>;
  text: { posts: string; negative: string };
}

/**
 * Posts per day (light bars) with the negative posts of the day drawn over them (dark bars),
 * spike days labelled above their bar, campaign launches as dashed vertical lines. Lightness
 * alone separates the two series, so the chart survives greyscale printing.
 */
export function trendChartSvg(input: TrendChartInput): string {
  const height = 240;
  const option = {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: CHART_FONT, color: INK },
    legend: {
      top: 0,
      left: 48,
      itemWidth: 14,
      itemHeight: 10,
      textStyle: { fontSize: 11, color: INK },
      data: [input.text.posts, input.text.negative],
    },
    grid: { left: 48, right: 16, top: 52, bottom: 30 },
    xAxis: {
      type: 'category' as const,
      data: [...input.days],
      axisTick: { alignWithLabel: true },
      axisLine: { lineStyle: { color: MUTED } },
      axisLabel: { color: MUTED, fontSize: 10, interval: input.days.length > 16 ? Math.ceil(input.days.length / 12) - 1 : 0 },
    },
    yAxis: {
      type: 'value' as const,
      minInterval: 1,
      axisLabel: { color: MUTED, fontSize: 10 },
      splitLine: { lineStyle: { color: GRID_LINE } },
    },
    series: [
      {
        name: input.text.posts,
        type: 'bar' as const,
        barWidth: '70%',
        data: [...input.posts],
        itemStyle: { color: '#a9bccf' },
        markPoint: {
          symbol: 'pin',
          symbolSize: 34,
          itemStyle: { color: INK },
          label: { color: '#ffffff', fontSize: 10, fontFamily: CHART_FONT },
          data: input.spikes.map((s) => ({ coord: [s.index, input.posts[s.index]!], value: s.label })),
        },
        markLine: {
          symbol: ['none', 'none'],
          silent: true,
          lineStyle: { color: INK, type: 'dashed' as const, width: 1 },
          label: { show: true, position: 'end' as const, color: INK, fontSize: 10, fontFamily: CHART_FONT },
          data: input.markers.map((m) => ({ xAxis: m.index, label: { formatter: m.label } })),
        },
      },
      {
        name: input.text.negative,
        type: 'bar' as const,
        barWidth: '70%',
        barGap: '-100%',
        data: [...input.negative],
        itemStyle: { color: NEGATIVE_BAR },
      },
    ],
  };
  return renderSvg(option, CHART_WIDTH, height);
}

export interface QuadrantPoint {
  label: string;
  /** Complaint and praise shares in [0, 1]. */
  complaint: number;
  praise: number;
  n: number;
  /** `insufficient`: too few posts to classify; drawn hollow. */
  quadrant: 'safe_bet' | 'hotspot' | 'polarising' | 'quiet' | 'insufficient';
}

export interface QuadrantChartInput {
  points: readonly QuadrantPoint[];
  /** The dividing lines (pooled shares), in [0, 1]. */
  praiseBaseline: number;
  complaintBaseline: number;
  text: { x: string; y: string; safe_bet: string; hotspot: string; polarising: string; quiet: string };
}

const QUADRANT_SYMBOL: Record<QuadrantPoint['quadrant'], string> = {
  safe_bet: 'circle',
  hotspot: 'triangle',
  polarising: 'diamond',
  quiet: 'rect',
  insufficient: 'emptyCircle',
};

/**
 * Marketing's quadrant: complaint share (x) against praise share (y) per aspect, split at the
 * pooled shares. Each quadrant has its own marker shape and caption, and every point is named,
 * so the chart reads the same in greyscale. Aspects with too few posts to classify are drawn
 * hollow and small, for orientation only.
 */
export function quadrantChartSvg(input: QuadrantChartInput): string {
  const height = 380;
  const left = 56;
  const right = 24;
  const top = 34;
  const bottom = 56;
  const pct = (x: number) => Math.round(x * 1000) / 10;
  // Aspects at the same spot (common with few posts) are drawn once, their names joined.
  const groups = new Map<string, QuadrantPoint & { labels: string[] }>();
  for (const p of input.points) {
    const key = `${pct(p.complaint)}|${pct(p.praise)}|${p.quadrant}`;
    const g = groups.get(key);
    if (g) {
      g.labels.push(p.label);
      g.n += p.n;
    } else groups.set(key, { ...p, labels: [p.label] });
  }
  const points = [...groups.values()];
  const maxN = Math.max(1, ...points.map((p) => p.n));
  // Quadrant captions sit outside the plot, in its corners, so that no point can hide them.
  const caption = (text: string, x: 'left' | 'right', y: 'top' | 'bottom') => ({
    type: 'text' as const,
    ...(x === 'left' ? { left } : { right }),
    ...(y === 'top' ? { top: 8 } : { bottom: 6 }),
    style: { text: `${y === 'top' ? (x === 'left' ? '↖ ' : '') : x === 'left' ? '↙ ' : ''}${text}${y === 'top' ? (x === 'right' ? ' ↗' : '') : x === 'right' ? ' ↘' : ''}`, fill: INK, font: `bold 11px ${CHART_FONT}` },
  });
  const axis = (name: string, gap: number) => ({
    type: 'value' as const,
    min: 0,
    max: 100,
    interval: 25,
    name,
    nameLocation: 'middle' as const,
    nameGap: gap,
    nameTextStyle: { color: INK, fontSize: 11 },
    axisLabel: { color: MUTED, fontSize: 10, formatter: '{value}%' },
    splitLine: { lineStyle: { color: GRID_LINE } },
  });
  const option = {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: CHART_FONT, color: INK },
    grid: { left, right, top, bottom },
    xAxis: axis(input.text.x, 26),
    yAxis: axis(input.text.y, 36),
    series: [
      {
        type: 'scatter' as const,
        clip: false,
        data: points.map((p) => ({
          value: [pct(p.complaint), pct(p.praise)],
          name: p.labels.join(' / '),
          symbol: QUADRANT_SYMBOL[p.quadrant],
          symbolSize: p.quadrant === 'insufficient' ? 7 : 8 + 14 * Math.sqrt(p.n / maxN),
          itemStyle: { color: p.quadrant === 'hotspot' ? NEGATIVE_BAR : p.quadrant === 'safe_bet' ? POSITIVE_BAR : MUTED, opacity: 0.85 },
          label: { color: p.quadrant === 'insufficient' ? MUTED : INK, position: pct(p.complaint) > 70 ? ('left' as const) : ('right' as const) },
        })),
        label: { show: true, position: 'right' as const, formatter: '{b}', fontSize: 11 },
        labelLayout: { moveOverlap: 'shiftY' as const },
        markLine: {
          symbol: ['none', 'none'],
          silent: true,
          label: { show: false },
          lineStyle: { color: INK, type: 'dashed' as const, width: 1 },
          data: [{ xAxis: pct(input.complaintBaseline) }, { yAxis: pct(input.praiseBaseline) }],
        },
      },
    ],
    graphic: [
      caption(input.text.safe_bet, 'left', 'top'),
      caption(input.text.polarising, 'right', 'top'),
      caption(input.text.quiet, 'left', 'bottom'),
      caption(input.text.hotspot, 'right', 'bottom'),
    ],
  };
  return renderSvg(option, CHART_WIDTH, height);
}

/** Red (0) - near white (0.5) - blue (1), the ColorBrewer RdBu end points. */
export function rampColour(value: number): string {
  const stops: Array<[number, [number, number, number]]> = [
    [0, [178, 24, 43]],
    [0.5, [247, 247, 247]],
    [1, [33, 102, 172]],
  ];
  const v = Math.min(1, Math.max(0, value));
  const [a, b] = v <= 0.5 ? [stops[0]!, stops[1]!] : [stops[1]!, stops[2]!];
  const k = (v - a[0]) / (b[0] - a[0]);
  const mix = a[1].map((x, i) => Math.round(x + (b[1][i]! - x) * k));
  return `#${mix.map((x) => x.toString(16).padStart(2, '0')).join('')}`;
}

/** Dark text on light fills, white on dark ones (relative luminance threshold). */
function textColourOn(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  const luminance = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return luminance < 0.3 ? '#ffffff' : INK;
}

/**
 * Renders an option to a static SVG string and makes it safe to inline: namespace URLs dropped
 * (HTML does not need them and the report must carry no URL but post links), hover styles
 * dropped (with their instance-numbered classes), and a final check that nothing executable
 * slipped through.
 */
function renderSvg(option: Record<string, unknown>, width: number, height: number): string {
  const chart = echartsLib().init(null, null, { renderer: 'svg', ssr: true, width, height });
  let svg: string;
  try {
    chart.setOption(option);
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  svg = svg
    .replace(/\s+xmlns(:xlink)?="[^"]*"/g, '')
    .replace(/<style[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/\s+ecmeta_[a-z_]+="[^"]*"/g, '')
    // Classes of the dropped hover styles carry a per-process instance counter (zr7-cls-3): without
    // them the same figures give the same bytes however many charts the process drew before.
    .replace(/\s+class="zr\d+-cls-\d+"/g, '')
    .replace(/<svg /, '<svg role="img" ');
  // Text content is escaped by ECharts (`<` becomes `&lt;`), so every `<...>` here is a real tag.
  const tags = svg.match(/<[^>]*>/g) ?? [];
  if (tags.some((tag) => /^<\/?(script|foreignObject|iframe|image|a)\b|\son[a-z]+\s*=|(href|src)\s*=/i.test(tag))) {
    throw new Error('chart SVG contains active content or a link; refusing to inline it');
  }
  return svg;
}
