/**
 * View model -> one self-contained HTML file (inline CSS, inline SVG, no script, no external
 * request). Templates live in `templates/` at the package root and are compiled once per process
 * with an isolated Handlebars instance, so no other module's helpers or partials leak in.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { VocError } from '../core/errors.js';
import type { ReportViewModel } from './view-model.js';

type Template = (context: unknown) => string;

let compiled: { template: Template; css: string } | undefined;

/**
 * The templates folder: `../templates` from `reports/*.ts` (tests, tsx) and `../../templates`
 * from `dist/reports/*.js` (the compiled CLI), whichever exists.
 */
export function templatesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '..', 'templates'), resolve(here, '..', '..', 'templates')];
  const found = candidates.find((dir) => existsSync(join(dir, 'report.hbs')));
  if (!found) {
    throw new VocError(`report templates not found (looked in ${candidates.join(' and ')}); reinstall voc or run it from its folder`, 1);
  }
  return found;
}

function compileTemplates(): { template: Template; css: string } {
  const dir = templatesDir();
  const hbs = Handlebars.create();
  const partialsDir = join(dir, 'partials');
  for (const file of readdirSync(partialsDir).filter((f) => f.endsWith('.hbs')).sort()) {
    hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(partialsDir, file), 'utf8'));
  }
  // strict: a misspelt field in a template fails loudly instead of printing nothing.
  const template = hbs.compile(readFileSync(join(dir, 'report.hbs'), 'utf8'), { strict: true, preventIndent: true });
  const css = readFileSync(join(dir, 'report.css'), 'utf8');
  if (/<\/style|@import|url\(/i.test(css)) throw new VocError('templates/report.css must not contain </style>, @import or url(): the report loads nothing', 1);
  return { template, css };
}

/** Renders the report's HTML from its view model. Every string is escaped except the generated SVG charts and the CSS. */
export function renderReportHtml(viewModel: ReportViewModel): string {
  compiled ??= compileTemplates();
  return compiled.template({ ...viewModel, css: compiled.css });
}
