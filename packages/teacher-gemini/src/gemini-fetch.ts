/**
 * The fetch the Gemini SDK uses: its ApiError keeps no headers, so failures are turned into
 * TeacherError here, where retry-after and the rate-limit headers are still visible.
 */
import { headerRecord, teacherErrorFromHttp, teacherErrorFromNetwork } from '@rlaif/core';

/** `retryDelay` from a google.rpc.RetryInfo error detail, e.g. "13s", in milliseconds. */
export function retryDelayFromBody(body: string): number | undefined {
  const match = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(body);
  return match ? Number(match[1]) * 1000 : undefined;
}

/** Wraps `base` so that HTTP failures and connection errors reject with TeacherError. */
export function geminiFetch(base: typeof globalThis.fetch, secrets: readonly (string | undefined)[]): typeof globalThis.fetch {
  return async (input, init) => {
    let response: Response;
    try {
      response = await base(input, init);
    } catch (error) {
      if (init?.signal?.aborted) throw error;
      throw teacherErrorFromNetwork('gemini', error, secrets);
    }
    if (response.ok) return response;
    const body = await response.text();
    const headers = headerRecord(response.headers);
    const delay = retryDelayFromBody(body);
    if (delay !== undefined && headers['retry-after'] === undefined) headers['retry-after-ms'] = String(delay);
    let message = body;
    try {
      message = (JSON.parse(body) as { error?: { message?: string } }).error?.message ?? body;
    } catch {
      // not JSON: keep the raw text
    }
    throw teacherErrorFromHttp({
      provider: 'gemini',
      status: response.status,
      message: message.slice(0, 500),
      headers,
      spendLimit: /billing|prepay|credits? (are|is) (depleted|exhausted)/i.test(message),
      secrets,
    });
  };
}
