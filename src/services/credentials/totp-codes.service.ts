// One-time codes pushed for `totp_identifier` runs (POST /v1/credentials/totp). Short content is
// the code itself; longer content (a whole email or SMS) is read by the deterministic parser in
// domain/otp.ts, then by the optional model-based extractor; what neither can read is kept raw.
import type { TOTPCode, TOTPCodeCreate, TotpCodeListQuery } from '../../contracts/credentials.ts';
import { parseDateTimeInput } from '../../domain/datetime-input.ts';
import { AppError, BadRequestError, validationError } from '../../domain/errors.ts';
import { generateId, ID_PREFIX } from '../../domain/ids.ts';
import { normalizeTotpIdentifier, parseOtpContent, RAW_CONTENT_MAX_CHARS, VERBATIM_MAX_CHARS, type OtpFound } from '../../domain/otp.ts';
import type { ServiceDeps } from '../deps.ts';
import { presentTotpCode } from './credential.presenter.ts';

/** Reads a code or magic link out of content the parser could not (a model); null = there is none. */
export type OtpExtractor = (content: string) => Promise<OtpFound | null>;

export class OtpExtractionUnavailable extends AppError {
  constructor() { super('otp_extraction_unavailable', 502, 'OTP extraction is temporarily unavailable. Please retry, or send the code itself as content.'); }
}

const REFERENCES = [
  ['task_id', 'task', 'Invalid task id'],
  ['workflow_id', 'workflow', 'Invalid workflow id'],
  ['workflow_run_id', 'workflow_run', 'Invalid workflow run id'],
] as const;

const parseExpiry = (text: string | null | undefined): Date | null => parseDateTimeInput(text, ['body', 'expired_at']) ?? null;

export function totpCodesService(deps: Pick<ServiceDeps, 'repos' | 'logger'>, opts: { extractor?: OtpExtractor } = {}) {
  const { totpCodes } = deps.repos;

  async function readCode(content: string): Promise<OtpFound | null> {
    const trimmed = content.trim();
    if (trimmed.length <= VERBATIM_MAX_CHARS) return { code: trimmed, otpType: 'totp' };
    const parsed = parseOtpContent(trimmed);
    if (parsed || !opts.extractor) return parsed;
    try {
      return await opts.extractor(trimmed);
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message }, 'OTP extraction by the model failed');
      throw new OtpExtractionUnavailable();
    }
  }

  return {
    async push(organizationId: string, body: TOTPCodeCreate): Promise<TOTPCode> {
      const totpIdentifier = normalizeTotpIdentifier(body.totp_identifier);
      if (!totpIdentifier) throw validationError(['body', 'totp_identifier'], 'totp_identifier must not be empty');
      const content = body.content.replace(/\u0000/g, '');
      if (!content.trim()) throw validationError(['body', 'content'], 'content must not be empty');
      const expiredAt = parseExpiry(body.expired_at);
      for (const [field, kind, message] of REFERENCES) {
        const id = body[field];
        if (id && !(await totpCodes.referenceExists(organizationId, kind, id))) throw new BadRequestError(`${message}: ${id}`);
      }
      const found = await readCode(content);
      if (!found && content.length > RAW_CONTENT_MAX_CHARS) throw new BadRequestError('Failed to parse otp login');
      const row = await totpCodes.insert({
        totpCodeId: generateId(ID_PREFIX.totp), organizationId, totpIdentifier, content, code: found?.code ?? '', otpType: found?.otpType ?? null,
        taskId: body.task_id ?? null, workflowId: body.workflow_id ?? null, workflowRunId: body.workflow_run_id ?? null,
        source: body.source ?? null, expiredAt,
      });
      return presentTotpCode(row, found ? {} : { status: 'raw_pending' });
    },

    async list(organizationId: string, q: TotpCodeListQuery): Promise<TOTPCode[]> {
      const rows = await totpCodes.list({
        organizationId, limit: q.limit ?? 50, otpType: q.otp_type ?? undefined, workflowRunId: q.workflow_run_id ?? undefined,
        totpIdentifier: q.totp_identifier ? normalizeTotpIdentifier(q.totp_identifier) : undefined,
      });
      return rows.map((row) => presentTotpCode(row, row.code ? {} : { status: 'raw_pending' }));
    },
  };
}
export type TotpCodesService = ReturnType<typeof totpCodesService>;
