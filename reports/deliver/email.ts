/**
 * E-mail delivery over SMTP (nodemailer): the PDF attached, the report's summary as the HTML
 * body with a plain-text alternative. The SMTP password is read from the environment variable
 * the config names, never from the config file. SMTP 5xx rejections are permanent; connection
 * problems and 4xx answers are retried.
 */
import { createTransport } from 'nodemailer';
import type { SmtpConfig } from '../../core/report-config.js';
import { PermanentError, withRetries, type RetryOutcome, type RetryPolicy } from './retry.js';

export interface EmailMessage {
  to: string[];
  cc: string[];
  subject: string;
  html: string;
  text: string;
  attachments: Array<{ filename: string; path: string; contentType: string }>;
}

export async function sendEmail(smtp: SmtpConfig, env: NodeJS.ProcessEnv, message: EmailMessage, policy: RetryPolicy): Promise<RetryOutcome> {
  const password = smtp.user ? env[smtp.passwordEnv] : undefined;
  if (smtp.user && !password) {
    return {
      ok: false,
      attempts: 0,
      error: `smtp.user is set but the environment variable ${smtp.passwordEnv} (smtp.passwordEnv) is empty`,
      errorZh: `设置了 smtp.user，但环境变量 ${smtp.passwordEnv}（smtp.passwordEnv）为空`,
    };
  }
  const transport = createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: password! } } : {}),
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  try {
    return await withRetries(async () => {
      try {
        await transport.sendMail({
          from: smtp.from,
          to: message.to,
          ...(message.cc.length ? { cc: message.cc } : {}),
          subject: message.subject,
          html: message.html,
          text: message.text,
          attachments: message.attachments,
        });
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        const detail = `SMTP ${smtp.host}:${smtp.port}: ${(err as Error).message.split('\n')[0]}`;
        if (code !== undefined && code >= 500) throw new PermanentError(detail);
        throw new Error(detail);
      }
    }, policy);
  } finally {
    transport.close();
  }
}
