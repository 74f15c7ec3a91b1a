/** Maps Anthropic SDK errors onto the kit's TeacherError (retry decision, retry-after, redaction). */
import { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import type { TeacherError } from '@rlaif/core';
import { headerRecord, teacherErrorFromHttp, teacherErrorFromNetwork } from '@rlaif/core';

/** A TeacherError for anything the Anthropic SDK threw; aborts and bugs are passed through unchanged. */
export function toTeacherError(error: unknown, secrets: readonly (string | undefined)[]): TeacherError | unknown {
  if (error instanceof APIError && typeof error.status === 'number') {
    const body = (error.error ?? {}) as { error?: { type?: string; message?: string } };
    const type = body.error?.type;
    return teacherErrorFromHttp({
      provider: 'anthropic',
      status: error.status,
      message: error.message,
      headers: headerRecord(error.headers),
      // Out of credit arrives as billing_error (or a 400 about the credit balance): never retry it.
      spendLimit: type === 'billing_error' || /credit balance/i.test(error.message),
      secrets,
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) return teacherErrorFromNetwork('anthropic', error.cause ?? error, secrets);
  return error;
}
