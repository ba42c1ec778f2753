/**
 * The API's error messages in the caller's language: zh-CN (default) or English, chosen by the
 * request's Accept-Language (the web UI sends the language the user picked). Each message names
 * the field or the thing and says what to do, in one line.
 *
 * Messages raised deeper down (core/ config validation, crawl safety) are English; in Chinese
 * they are wrapped as `字段 <field> 无效：<detail>` so the field is still named in the user's language.
 */
import type { FastifyError, FastifyRequest } from 'fastify';
import { typeNameZh } from '../core/schema-issues.js';

export type Lang = 'zh-CN' | 'en';

/** zh-CN unless the first language the client names (by q) is English. `*` or nothing: zh-CN. */
export function requestLang(req: Pick<FastifyRequest, 'headers'>): Lang {
  const header = req.headers['accept-language'];
  if (typeof header !== 'string') return 'zh-CN';
  const ranges = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q[1]) : 1, i };
    })
    .filter((r) => r.q > 0 && r.tag !== '*')
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranges) {
    if (r.tag === 'en' || r.tag.startsWith('en-')) return 'en';
    if (r.tag === 'zh' || r.tag.startsWith('zh-')) return 'zh-CN';
  }
  return 'zh-CN';
}

const en = {
  notSignedIn: 'not signed in: log in, or send Authorization: Bearer <token> (`voc tokens create`)',
  forbidden: (role: string, what: string, roles: string[]) => `forbidden: role ${role} may not ${what}; needs ${roles.join(' or ')}`,
  csrf: (header: string) => `missing or wrong ${header} header: reload the page and try again`,
  boardNotSignedIn: 'not signed in: log in to the console first (Bull Board is for admins)',
  boardForbidden: (role: string) => `forbidden: Bull Board needs the admin role (you are ${role})`,
  wrongLogin: 'wrong user name or password',
  tooMany: 'too many attempts: wait a minute and try again',
  internal: 'internal error: the server log has the details',
  unknownTarget: (id: string) => `unknown target "${id}"`,
  noSuggestion: 'no repeated, post-like structure found on this page; if its posts are made by JavaScript, choose the browser kind and write the selectors by hand',
  unknownTargetPut: (id: string) => `unknown target "${id}"; POST /api/targets adds it`,
  targetExists: (id: string) => `target "${id}" exists already; PUT /api/targets/${id} replaces it`,
  targetIdDiffers: (given: string, id: string) => `target.id: "${given}" differs from the URL's "${id}"`,
  targetDeclared: (id: string) => `target "${id}" is declared in the config file; remove it there`,
  explainEmpty: 'text: empty; paste the text to classify',
  explainBrand: (brands: string[]) => `brand: required, the config has ${brands.length} brands (${brands.join(', ')}); name one`,
  unknownRunTarget: (i: number, id: string, known: string[]) => `targets.${i}: unknown target "${id}"; known targets: ${known.join(', ') || 'none'}`,
  unknownRun: (id: string) => `unknown run "${id}"`,
  runFinished: (id: string) => `run "${id}" has finished already`,
  runNotHere: (id: string) => `run "${id}" is not running in this server`,
  unknownReport: (id: string) => `unknown report "${id}"`,
  reportNoFile: (id: string, format: string) => `report "${id}" has no ${format} file; render it with that format`,
  reportGone: (id: string, format: string, path: string) => `report "${id}": its ${format} file is gone from the server (${path}); render it again`,
  periodBoth: 'period: give either period or from/to, not both',
  unknownUser: (name: string) => `unknown user "${name}"`,
  cannotRemoveSelf: 'username: you cannot remove yourself; ask another admin',
  noRedis: 'schedules live in Redis: start `voc serve` with REDIS_URL=redis://host:6379 (and run `voc worker` processes)',
  noSchedule: (kind: string, id: string) => `no ${kind} schedule "${id}"`,
  scheduleUnknownTarget: (id: string) => `id: unknown target "${id}"`,
  scheduleBrand: 'brand: required for a report schedule',
  /** English keeps core's own `field: detail`. */
  invalidField: (field: string, detail: string) => `${field}: ${detail}`,
  invalid: (message: string) => message,
  validation: (err: FastifyError) => {
    const allowed = (err.validation?.[0]?.params as { allowedValues?: unknown[] } | undefined)?.allowedValues;
    return `${err.message}${allowed ? `: ${allowed.join(', ')}` : ''}`;
  },
};

const PARTS: Record<string, string> = { body: '请求体', querystring: '查询参数', params: '路径参数', headers: '请求头' };

const zh: typeof en = {
  notSignedIn: '未登录：请先登录，或发送 Authorization: Bearer <令牌>（`voc tokens create` 生成）',
  forbidden: (role, what, roles) => `无权操作：角色 ${role} 不能 ${what}；需要 ${roles.join(' 或 ')} 角色`,
  csrf: (header) => `缺少或错误的 ${header} 请求头：请刷新页面后重试`,
  boardNotSignedIn: '未登录：请先登录控制台（Bull Board 仅限管理员）',
  boardForbidden: (role) => `无权访问：Bull Board 需要 admin 角色（你的角色是 ${role}）`,
  wrongLogin: '用户名或密码错误',
  tooMany: '尝试次数过多：请一分钟后再试',
  internal: '服务器内部错误：详情见服务器日志',
  unknownTarget: (id) => `抓取目标“${id}”不存在`,
  noSuggestion: '页面上没有找到重复出现、像帖子列表的结构；如果帖子由 JavaScript 生成，请选择 browser 类型并手写选择器',
  unknownTargetPut: (id) => `抓取目标“${id}”不存在；用 POST /api/targets 添加`,
  targetExists: (id) => `抓取目标“${id}”已存在；用 PUT /api/targets/${id} 替换`,
  targetIdDiffers: (given, id) => `target.id：“${given}”与 URL 中的“${id}”不一致`,
  targetDeclared: (id) => `抓取目标“${id}”在配置文件中声明；请在配置文件里删除`,
  explainEmpty: '字段 text 为空：请粘贴要分类的文字',
  explainBrand: (brands) => `字段 brand 必填：配置中有 ${brands.length} 个品牌（${brands.join('、')}），请指定其一`,
  unknownRunTarget: (i, id, known) => `targets.${i}：抓取目标“${id}”不存在；已有目标：${known.join('、') || '无'}`,
  unknownRun: (id) => `运行“${id}”不存在`,
  runFinished: (id) => `运行“${id}”已经结束`,
  runNotHere: (id) => `运行“${id}”不在本服务器上进行`,
  unknownReport: (id) => `报告“${id}”不存在`,
  reportNoFile: (id, format) => `报告“${id}”没有 ${format} 文件；请用该格式重新生成`,
  reportGone: (id, format, path) => `报告“${id}”的 ${format} 文件已不在服务器上（${path}）；请重新生成`,
  periodBoth: 'period：period 与 from/to 只能二选一',
  unknownUser: (name) => `用户“${name}”不存在`,
  cannotRemoveSelf: 'username：不能删除自己；请让另一位管理员操作',
  noRedis: '定时任务保存在 Redis 中：请以 REDIS_URL=redis://主机:6379 启动 `voc serve`（并运行 `voc worker` 进程）',
  noSchedule: (kind, id) => `没有${kind === 'crawl' ? '抓取' : '报告'}定时任务“${id}”`,
  scheduleUnknownTarget: (id) => `id：抓取目标“${id}”不存在`,
  scheduleBrand: 'brand：报告定时任务必须指定品牌',
  invalidField: (field, detail) => `字段 ${field} 无效：${detail}`,
  invalid: (message) => `输入无效：${message}`,
  validation: (err) => {
    const v = err.validation?.[0];
    const part = PARTS[err.validationContext ?? ''] ?? err.validationContext ?? '';
    const params = (v?.params ?? {}) as { missingProperty?: string; allowedValues?: unknown[]; limit?: number; type?: string; pattern?: string };
    const path = (v?.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    const field = `${err.validationContext ?? ''}${path ? `/${path}` : ''}`;
    switch (v?.keyword) {
      case 'required':
        return `${part}缺少必填字段 ${params.missingProperty}`;
      case 'enum':
        return `字段 ${field} 必须是以下之一：${(params.allowedValues ?? []).join('、')}`;
      case 'type':
        return `字段 ${field} 的类型应为${typeNameZh(String(params.type))}`;
      case 'pattern':
        return `字段 ${field} 格式不正确（应匹配 ${params.pattern}）`;
      case 'maxLength':
      case 'maxItems':
      case 'maximum':
        return `字段 ${field} 超过上限 ${params.limit}`;
      case 'minLength':
      case 'minItems':
      case 'minimum':
        return `字段 ${field} 低于下限 ${params.limit}`;
      default:
        return `字段 ${field} 无效：${err.message}`;
    }
  },
};

export const MESSAGES: Record<Lang, typeof en> = { 'zh-CN': zh, en };

/** The messages in the request's language. */
export function say(req: Pick<FastifyRequest, 'headers'>): typeof en {
  return MESSAGES[requestLang(req)];
}

/**
 * A core/ error in the request's language. Its own Chinese (`target：url：应为…`) and an English-only
 * message (`target: url: expected…`) alike become 字段 target.url 无效：… so the API names the field
 * the same way whichever of the two the raiser wrote.
 */
export function localizeInputMessage(req: Pick<FastifyRequest, 'headers'>, err: { message: string; zh?: string | undefined }): string {
  if (requestLang(req) === 'en') return err.message;
  const m = say(req);
  if (err.zh !== undefined) {
    const field = /^([\w.\/\[\]-]+(?:： ?[\w.\/\[\]-]+)*)：(.+)$/s.exec(err.zh);
    return field ? m.invalidField(field[1]!.replace(/： ?/g, '.'), field[2]!) : err.zh;
  }
  const field = /^([\w.\/\[\]-]+(?:: [\w.\/\[\]-]+)*): (.+)$/s.exec(err.message);
  return field ? m.invalidField(field[1]!.replace(/: /g, '.'), field[2]!) : m.invalid(err.message);
}
