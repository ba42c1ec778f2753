/**
 * The report part of voc.config.yaml: campaigns (for "did questions about the promoted feature
 * spike"), scheduled report specs and how each report is delivered (e-mail, webhook, folder).
 */
import { z } from 'zod';
import { phrase } from './phrases.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: phrase('a date as YYYY-MM-DD', 'YYYY-MM-DD 格式的日期') });
const idString = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, { message: phrase('an id of lower-case letters, digits, _ or -', '由小写字母、数字、_ 或 - 组成的 ID') });
const emailAddress = phrase('an e-mail address', '电子邮件地址');

export const campaignSchema = z.strictObject({
  brand: idString,
  name: z.string().min(1),
  /** Launch day in the config time zone. */
  date: isoDate,
  /** Feature or product names (or aspect ids) the campaign promoted. */
  features: z.array(z.string().min(1)).min(1),
});
export type CampaignConfig = z.infer<typeof campaignSchema>;

export const REPORT_SECTIONS = [
  'cover',
  'summary',
  'channels',
  'promises',
  'breakpoints',
  'departments',
  'competitors',
  'methods',
  'sources',
] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

export const deliverySchema = z.strictObject({
  email: z
    .strictObject({
      to: z.array(z.string().email({ message: emailAddress })).min(1),
      cc: z.array(z.string().email({ message: emailAddress })).default([]),
      subject: z.string().optional(),
    })
    .optional(),
  webhook: z
    .strictObject({
      url: z.string().url({ message: phrase('an absolute URL', '完整的绝对 URL') }),
      /** Name of the environment variable holding the HMAC key (the key itself never sits in the file). */
      secretEnv: z.string().default('VOC_WEBHOOK_SECRET'),
    })
    .optional(),
  /** Copy the files to this folder. */
  folder: z.string().optional(),
});
export type DeliveryConfig = z.infer<typeof deliverySchema>;

export const reportScheduleSchema = z.strictObject({
  id: idString,
  brand: idString,
  /** Cron pattern (5 fields) in the config time zone, e.g. "0 9 * * 1" for Mondays 09:00. */
  schedule: z.string().optional(),
  /** Which period a scheduled run covers: the last full week or month before it fires. */
  period: z.enum(['last-week', 'last-month']).default('last-month'),
  locale: z.enum(['zh-CN', 'en']).optional(),
  formats: z.array(z.enum(['pdf', 'html'])).default(['pdf', 'html']),
  sections: z.array(z.enum(REPORT_SECTIONS)).optional(),
  deliver: deliverySchema.default({}),
});
export type ReportScheduleConfig = z.infer<typeof reportScheduleSchema>;

export const smtpSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  secure: z.boolean().default(false),
  user: z.string().optional(),
  /** Name of the environment variable holding the SMTP password. */
  passwordEnv: z.string().default('VOC_SMTP_PASSWORD'),
  from: z.string().default('voc <voc@localhost>'),
});
export type SmtpConfig = z.infer<typeof smtpSchema>;
