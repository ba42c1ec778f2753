/**
 * View model -> one self-contained HTML file (inline CSS, inline SVG, no script, no external
 * request), and the e-mail body (the summary, inline styles). Templates live in `templates/` at
 * the package root and are compiled once per process with an isolated Handlebars instance, so no
 * other module's helpers or partials leak in.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { VocError } from '../core/errors.js';
import type { ReportViewModel } from './view-model.js';

type Template = (context: unknown) => string;

let compiled: { report: Template; email: Template; css: string } | undefined;

/**
 * The templates folder: `../templates` from `reports/*.ts` (tests, tsx) and `../../templates`
 * from `dist/reports/*.js` (the compiled CLI), whichever exists.
 */
export function templatesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '..', 'templates'), resolve(here, '..', '..', 'templates')];
  const found = candidates.find((dir) => existsSync(join(dir, 'report.hbs')));
  if (!found) {
    throw new VocError(
      {
        en: `report templates not found (looked in ${candidates.join(' and ')}); reinstall voc or run it from its folder`,
        zh: `找不到报告模板（已查找 ${candidates.join(' 和 ')}）；请重新安装 voc，或在 voc 所在目录中运行`,
      },
      1,
    );
  }
  return found;
}

function compileTemplates(): { report: Template; email: Template; css: string } {
  const dir = templatesDir();
  const hbs = Handlebars.create();
  const partialsDir = join(dir, 'partials');
  for (const file of readdirSync(partialsDir).filter((f) => f.endsWith('.hbs')).sort()) {
    hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(partialsDir, file), 'utf8'));
  }
  // strict: a misspelt field in a template fails loudly instead of printing nothing.
  const options = { strict: true, preventIndent: true };
  const report = hbs.compile(readFileSync(join(dir, 'report.hbs'), 'utf8'), options);
  const email = hbs.compile(readFileSync(join(dir, 'email.hbs'), 'utf8'), options);
  const css = readFileSync(join(dir, 'report.css'), 'utf8');
  if (/<\/style|@import|url\(/i.test(css)) {
    throw new VocError(
      {
        en: 'templates/report.css must not contain </style>, @import or url(): the report loads nothing',
        zh: 'templates/report.css 不能包含 </style>、@import 或 url()：报告不加载任何外部资源',
      },
      1,
    );
  }
  return { report, email, css };
}

/** Renders the report's HTML from its view model. Every string is escaped except the generated SVG charts and the CSS. */
export function renderReportHtml(viewModel: ReportViewModel): string {
  compiled ??= compileTemplates();
  return compiled.report({ ...viewModel, css: compiled.css });
}

/** The e-mail body: the one-page summary as e-mail-safe HTML (everything escaped, no link, no image). */
export function renderEmailHtml(viewModel: ReportViewModel): string {
  compiled ??= compileTemplates();
  return compiled.email(viewModel);
}

/** The plain-text alternative of the e-mail body. */
export function emailText(vm: ReportViewModel): string {
  const lines = [vm.title, ''];
  if (vm.empty) lines.push(vm.noDataMessage);
  else {
    lines.push(...vm.summary.sentences.map((s) => `- ${s}`), '', vm.text.summaryRisks);
    lines.push(...(vm.summary.risks.length ? vm.summary.risks.map((r, i) => `${i + 1}. ${r.text}`) : [vm.text.summaryNoRisks]));
    lines.push('', vm.text.summarySafeBets);
    lines.push(...(vm.summary.safeBets.length ? vm.summary.safeBets.map((r, i) => `${i + 1}. ${r.text}`) : [vm.text.summaryNoSafeBets]));
    lines.push('', vm.text.summaryTopBreakpoints, ...vm.summary.breakpointSentences.map((s, i) => `${i + 1}. ${s}`));
    if (vm.summary.breakpointTieNote) lines.push(vm.summary.breakpointTieNote);
  }
  lines.push('', vm.cover.timeZoneNote);
  return lines.join('\n');
}
