/**
 * Where hub uploads go and with which token, found the way the Python tools find them: the
 * endpoint from HF_ENDPOINT, the token from HF_TOKEN or the token file `huggingface-cli login` writes.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The public hub, used when HF_ENDPOINT is unset. */
export const DEFAULT_HUB_ENDPOINT = 'https://huggingface.co';

/** The environment variables read here (a plain record so tests pass their own). */
export type HubEnv = Readonly<Record<string, string | undefined>>;

/** A token and where it came from (for messages; the token itself is never printed). */
export interface HubToken {
  readonly token: string;
  /** The variable it came from, or the token file's path. */
  readonly source: string;
}

/** The hub's base URL: HF_ENDPOINT without a trailing slash, else the public hub. */
export function hubEndpoint(env: HubEnv): string {
  const value = env['HF_ENDPOINT']?.trim();
  return (value ? value : DEFAULT_HUB_ENDPOINT).replace(/\/+$/, '');
}

/** The token file of the Python tools: HF_TOKEN_PATH, else `$HF_HOME/token` (HF_HOME defaults to ~/.cache/huggingface). */
export function hubTokenFile(env: HubEnv): string {
  if (env['HF_TOKEN_PATH']) return env['HF_TOKEN_PATH'];
  const cache = env['XDG_CACHE_HOME'] || path.join(env['HOME'] || os.homedir(), '.cache');
  return path.join(env['HF_HOME'] || path.join(cache, 'huggingface'), 'token');
}

/** HF_TOKEN, then the legacy HUGGING_FACE_HUB_TOKEN and the reference system's HUGGINGFACE_TOKEN, then the token file; null when there is none. */
export async function findHubToken(env: HubEnv): Promise<HubToken | null> {
  for (const name of ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN', 'HUGGINGFACE_TOKEN']) {
    const value = env[name]?.trim();
    if (value) return { token: value, source: name };
  }
  const file = hubTokenFile(env);
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.trim() ? { token: text.trim(), source: file } : null;
}

/** How to provide a token, for error hints. */
export function tokenHint(env: HubEnv): string {
  return `set HF_TOKEN to a write token (https://huggingface.co/settings/tokens) or log in with \`huggingface-cli login\` (it writes ${hubTokenFile(env)})`;
}
