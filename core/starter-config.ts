/**
 * The text of a starter `voc.config.yaml` (`voc init`): one brand, the crawler's polite defaults
 * spelt out, and commented examples of a target and a scheduled report, with comments in the user's
 * language. Pure: the caller validates the text with the config schema and writes it.
 */
import type { Locale } from './types.js';

export interface StarterOptions {
  brandId: string;
  brandName: string;
  /** `car`, `retail` or `electronics`. */
  taxonomy: string;
  locale: Locale;
}

/** The shipped aspect taxonomies a starter may name (lexicons/aspects.yaml). */
export const STARTER_TAXONOMIES = ['car', 'retail', 'electronics'] as const;

/** A YAML double-quoted scalar: JSON's escapes are YAML's, so any name (quotes, colons, newlines) stays data. */
function quoted(value: string): string {
  return JSON.stringify(value);
}

/** A line of YAML padded so that its comment starts in the column the others' do. */
function pad(code: string): string {
  return code.length < 33 ? code.padEnd(33) : `${code} `;
}

export function starterConfig(o: StarterOptions): string {
  const zh = o.locale !== 'en';
  const c = (zhText: string, enText: string) => (zh ? zhText : enText);
  const id = o.brandId;
  return `# ${c('voc 配置文件（voc init 生成）。每个字段的说明见 README.md 的 Configuration 一节；改完运行 voc config check。', 'voc config (written by voc init). README.md, section Configuration, explains every field; run voc config check after editing.')}
timeZone: Asia/Shanghai          # ${c('报告期与所有日期所用的 IANA 时区', 'IANA zone of report periods and every printed date')}
${pad(`locale: ${o.locale}`)}# ${c('报告语言：zh-CN 或 en', 'report language: zh-CN or en')}
dataDir: .voc-data               # ${c('内置存储的位置，相对于本文件', 'embedded store, relative to this file')}

crawler:
  # ${c('写明你是谁、怎样联系你（把 example.org 换成你的联系页面）：网站管理员据此决定是否放行', 'say who you are and how to reach you (put your contact page in place of example.org): site owners decide by it')}
  userAgent: "voc/0.1 (+https://example.org/voc-contact)"
  defaultDelayMs: 1000           # ${c('同一主机两次请求之间的最短间隔（robots.txt 的 Crawl-delay 更大时以其为准）', 'minimum delay between two requests to one host (a larger robots.txt Crawl-delay wins)')}
  respectRobots: true            # ${c('默认遵守 robots.txt', 'robots.txt is obeyed by default')}

brands:
${pad(`  - id: ${id}`)}# ${c('命令行里用的 ID', 'the id used on the command line')}
    name: ${quoted(o.brandName)}
    aliases: []                  # ${c('帖子里对品牌的其他叫法', 'other names posts use for the brand')}
    competitors: []              # ${c('竞品名称，报告会并列比较', 'competitor names, compared side by side in the report')}
    promises: [convenience, premium_service, reliable_quality, modern]   # ${c('品牌承诺：便利、尊贵服务、可靠品质、现代（另有 transparency 透明）', 'brand promises (transparency is the fifth shipped one)')}
${pad(`    aspectTaxonomy: ${o.taxonomy}`)}# car | retail | electronics
    products: []                 # ${c('产品和功能名称，加入分词词典', 'product and feature names, added to the segmenter dictionary')}

# ${c('抓取目标：用 voc targets add 添加（存入数据目录），或写在这里。示例：', 'crawl targets: add them with voc targets add (kept in the data directory), or list them here. Example:')}
# targets:
#   - id: ${id}-forum
#     url: https://forum.example.com/${id}/
#     brand: ${id}
#     maxPages: 50
#     selectors: { item: article.post, text: .content, author: .author, time: time@datetime, nextPage: a.next@href }

# ${c('定时报告：voc scheduler 按 cron 安装（需要 REDIS_URL）。示例：', 'scheduled reports: voc scheduler installs them by cron (needs REDIS_URL). Example:')}
# reports:
#   - id: ${id}-weekly
#     brand: ${id}
#     schedule: "0 9 * * 1"      # ${c('每周一 09:00（timeZone）', 'Mondays 09:00 in timeZone')}
#     period: last-week
#     formats: [pdf, html]
#     deliver:
#       folder: reports/${id}
`;
}
