/** vLLM's error bodies (`{object: 'error', message, type, code}`, or newer `{error: {...}}`) as text, and which failures are worth retrying. */

/** The server's message from an error body, or the raw text. */
export function errorMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: { message?: unknown } | string; detail?: unknown };
    const message = body.message ?? (typeof body.error === 'object' ? body.error?.message : body.error) ?? body.detail;
    if (typeof message === 'string') return message;
  } catch {
    // not JSON: the text itself
  }
  return text.slice(0, 500);
}

/** Overloaded or failing servers (429, 5xx) may answer another attempt; a bad request will not. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
