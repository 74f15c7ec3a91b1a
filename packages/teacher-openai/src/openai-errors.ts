/** Maps OpenAI SDK errors onto the kit's TeacherError (retry decision, retry-after, redaction). */
import { APIConnectionError, APIError } from 'openai';
import type { TeacherError } from '@rlaif/core';
import { headerRecord, teacherErrorFromHttp, teacherErrorFromNetwork } from '@rlaif/core';

/** Error codes that mean the account cannot pay: another attempt will not help. */
const SPEND_LIMIT_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached', 'billing_not_active']);

/** A TeacherError for anything the OpenAI SDK threw; aborts are passed through unchanged. */
export function toTeacherError(error: unknown, secrets: readonly (string | undefined)[]): TeacherError | unknown {
  if (error instanceof APIError && typeof error.status === 'number') {
    return teacherErrorFromHttp({
      provider: 'openai',
      status: error.status,
      message: error.message,
      headers: headerRecord(error.headers),
      spendLimit: SPEND_LIMIT_CODES.has(String(error.code ?? '')),
      secrets,
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) return teacherErrorFromNetwork('openai', error.cause ?? error, secrets);
  return error;
}
