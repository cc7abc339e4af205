// `send_email`: one message over SMTP (nodemailer). The server comes from the block's
// custom_smtp_* fields, else the parameters its smtp_*_secret_parameter_key fields name, else the
// server settings — field by field. Like Skyvern, the subject gets the run id appended and the
// sender is BCC'd so there is a record of what went out.
import nodemailer from 'nodemailer';
import type { BlockYamlOf } from '../../../../domain/workflow/index.ts';
import type { BlockHandler, BlockRunContext } from '../block-handler.ts';
import { collectAttachments } from './email-attachments.ts';
import { BlockAbortedError, canceled, completed, errorMessage, failed, raceAbort, readParameter } from './results.ts';
import { isOutboundRefusal, resolveAllowed } from '../../../../net/outbound.ts';
import { normalizeHost } from '../../../../domain/outbound-policy.ts';

type SendEmailBlock = BlockYamlOf<'send_email'>;

const SMTP_TIMEOUT_MS = 30_000;
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export interface SmtpServer { host: string; port: number; username?: string; password?: string; secure: boolean }

export const sendEmailBlock: BlockHandler<SendEmailBlock> = async (ctx) => {
  const { block } = ctx;
  const fail = (reason: string) => failed(reason, { success: false, error: reason });
  const smtp = resolveSmtp(ctx);
  if (!smtp) return fail('No SMTP server configured: set the server SMTP settings or the block\'s custom_smtp_host');
  const recipients = realRecipients(ctx);
  if (recipients.length === 0) return fail(`No valid email recipient in ${JSON.stringify(block.recipients)}`);

  // A workflow's own SMTP host follows the outbound policy; the operator's SMTP_HOST is trusted.
  // The socket connects to the address that was checked (TLS still verifies the name).
  let connectHost = smtp.host;
  if (smtp.host !== ctx.settings.smtp.host) {
    try {
      const addresses = await raceAbort(resolveAllowed(smtp.host, 'send_email'), ctx.signal);
      if (normalizeHost(smtp.host).kind === 'name' && addresses[0]) connectHost = addresses[0];
    } catch (error) {
      if (error instanceof BlockAbortedError || ctx.signal.aborted) return canceled(ctx.signal);
      if (isOutboundRefusal(error)) return fail(error.message);
      return fail(`Failed to send email: could not resolve SMTP host ${smtp.host}: ${errorMessage(error)}`);
    }
  }
  const transport = nodemailer.createTransport({
    host: connectHost,
    port: smtp.port,
    secure: smtp.secure,
    ...(connectHost !== smtp.host ? { tls: { servername: smtp.host } } : {}),
    auth: smtp.username ? { user: smtp.username, pass: smtp.password ?? '' } : undefined,
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
  try {
    const attachments = await collectAttachments(ctx, block.file_attachments ?? []);
    const subject = `${block.subject.replace(/[\r\n]+/g, ' ').trim()} - Workflow Run ID: ${ctx.runId}`;
    await raceAbort(transport.sendMail({
      from: block.sender,
      to: recipients,
      bcc: block.sender,
      subject,
      text: block.body,
      attachments: attachments.map((file) => ({ filename: file.name, content: file.data })),
    }), ctx.signal);
    ctx.logger.info({ recipients: recipients.length, attachments: attachments.length }, 'send_email sent');
    return completed({ success: true });
  } catch (error) {
    if (error instanceof BlockAbortedError || ctx.signal.aborted) return canceled(ctx.signal);
    return fail(`Failed to send email: ${errorMessage(error)}`);
  } finally {
    transport.close();
  }
};

/** Field by field: the block's custom_smtp_*, then the named secret parameters, then settings. */
export function resolveSmtp(ctx: BlockRunContext<SendEmailBlock>): SmtpServer | null {
  const { block, settings } = ctx;
  const fromParameter = (key: string | null | undefined): string | undefined => {
    if (!key) return undefined;
    const value = readParameter(ctx, key);
    return typeof value === 'string' || typeof value === 'number' ? String(value).trim() || undefined : undefined;
  };
  const pick = (custom: unknown, secretKey: string | null | undefined, setting: unknown): string | undefined => {
    if (custom !== null && custom !== undefined && String(custom).trim() !== '') return String(custom).trim();
    return fromParameter(secretKey) ?? (setting === undefined || setting === null || setting === '' ? undefined : String(setting));
  };
  const host = pick(block.custom_smtp_host, block.smtp_host_secret_parameter_key, settings.smtp.host);
  if (!host) return null;
  const port = Number(pick(block.custom_smtp_port, block.smtp_port_secret_parameter_key, settings.smtp.port) ?? 587);
  return {
    host,
    port: Number.isInteger(port) && port > 0 ? port : 587,
    username: pick(block.custom_smtp_username, block.smtp_username_secret_parameter_key, settings.smtp.username),
    password: pick(block.custom_smtp_password, block.smtp_password_secret_parameter_key, settings.smtp.password),
    // 465 is implicit TLS; other ports upgrade with STARTTLS when the server offers it.
    secure: settings.smtp.secure ?? port === 465,
  };
}

/** Addresses as written, or the value of a parameter named bare (Skyvern allows both); invalid ones dropped. */
function realRecipients(ctx: BlockRunContext<SendEmailBlock>): string[] {
  const out: string[] = [];
  for (const entry of ctx.block.recipients ?? []) {
    const raw = String(entry).trim();
    const candidates = EMAIL.test(raw) ? [raw] : expandParameter(ctx, raw);
    for (const candidate of candidates) {
      if (EMAIL.test(candidate)) out.push(candidate);
      else ctx.logger.warn({ recipient: candidate }, 'send_email skipping invalid recipient');
    }
  }
  return [...new Set(out)];
}

function expandParameter(ctx: BlockRunContext<SendEmailBlock>, raw: string): string[] {
  const value = /^[A-Za-z_][A-Za-z0-9_]*$/.test(raw) ? readParameter(ctx, raw) : null;
  if (Array.isArray(value)) return value.map((v) => String(v).trim());
  if (typeof value === 'string' && value.trim()) return value.split(/[,;]/).map((v) => v.trim());
  return raw.split(/[,;]/).map((v) => v.trim()).filter(Boolean);
}
