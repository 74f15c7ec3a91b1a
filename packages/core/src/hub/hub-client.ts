/**
 * The two hub operations rlaif needs — make sure a repository exists, and commit a set of local
 * files to it — on @huggingface/hub (loaded only when something is uploaded). A commit names its
 * parent, skips files the repository already holds byte for byte (an interrupted upload resumes
 * where it stopped; LFS objects already stored are not sent again), and when a commit's answer is
 * lost the repository is re-read, so a retried commit is never made twice.
 */
import { createHash } from 'node:crypto';
import { createReadStream, openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import type * as HubModule from '@huggingface/hub';
import { HubError, PluginError } from '../errors/rlaif-error.js';
import type { HubRepo } from './hub-repo.js';
import { repoUrl } from './hub-repo.js';

type HubLibrary = typeof HubModule;

/** One file to upload: where it goes in the repository and where it is on disk. */
export interface UploadFile {
  readonly pathInRepo: string;
  readonly localPath: string;
}

/** What an upload reports as it goes. */
export type UploadProgress =
  | { readonly kind: 'phase'; readonly phase: 'preuploading' | 'uploadingLargeFiles' | 'committing' }
  | { readonly kind: 'file'; readonly path: string; readonly fraction: number; readonly state: 'hashing' | 'uploading' };

/** Endpoint, token and transport shared by every call of one upload. */
export interface HubSession {
  /** Base URL (HF_ENDPOINT or the public hub). */
  readonly endpoint: string;
  readonly accessToken: string;
  /** The retrying fetch every request goes through. */
  readonly fetch: typeof fetch;
  readonly signal?: AbortSignal;
}

/** The result of `commitFiles`. */
export interface CommitResult {
  /** The new head commit, or null when the repository already held every file. */
  readonly commit: string | null;
  readonly uploaded: readonly string[];
  readonly unchanged: readonly string[];
  /** The commit's response was lost but the repository shows it landed. */
  readonly recovered: boolean;
}

let library: Promise<HubLibrary> | undefined;

/** Imports @huggingface/hub once, with an install hint when it is missing. */
export function loadHubLibrary(): Promise<HubLibrary> {
  library ??= import('@huggingface/hub').catch((error: unknown) => {
    library = undefined;
    throw new PluginError('uploading to the Hugging Face hub needs the package @huggingface/hub, which is not installed', '@huggingface/hub', {
      hint: 'install it next to @rlaif/core: npm i @huggingface/hub',
      cause: error,
    });
  });
  return library;
}

/** Creates the repository unless it exists; resolves to whether it was created. */
export async function ensureRepo(session: HubSession, repo: HubRepo, options: { readonly private: boolean }): Promise<boolean> {
  const hub = await loadHubLibrary();
  try {
    await hub.createRepo({
      repo: { type: repo.type, name: repo.name },
      visibility: options.private ? 'private' : 'public',
      accessToken: session.accessToken,
      hubUrl: session.endpoint,
      fetch: session.fetch,
    });
    return true;
  } catch (error) {
    if (statusOf(error) === 409) return false;
    throw hubError(error, repo, session, 'could not create the repository');
  }
}

/**
 * Commits `files` to `repo`'s main branch in one commit titled `title`; files whose content the
 * repository already holds are left out, and nothing is committed when none changed.
 */
export async function commitFiles(
  session: HubSession,
  repo: HubRepo,
  files: readonly UploadFile[],
  options: { readonly title: string; readonly onProgress?: (progress: UploadProgress) => void },
): Promise<CommitResult> {
  const hub = await loadHubLibrary();
  const head = await headCommit(session, repo);
  const held = await sameAsRemote(session, repo, files, head);
  const changed = files.filter((_, i) => !held[i]);
  const unchanged = files.filter((_, i) => held[i]).map((file) => file.pathInRepo);
  if (changed.length === 0) return { commit: null, uploaded: [], unchanged, recovered: false };

  const operations = await Promise.all(
    changed.map(async (file) => ({ operation: 'addOrUpdate' as const, path: file.pathInRepo, content: await openAsBlob(file.localPath) })),
  );
  try {
    const iterator = hub.commitIter({
      repo: { type: repo.type, name: repo.name },
      operations,
      title: options.title,
      parentCommit: head,
      accessToken: session.accessToken,
      hubUrl: session.endpoint,
      fetch: session.fetch,
      ...(session.signal ? { abortSignal: session.signal } : {}),
    });
    let step = await iterator.next();
    while (!step.done) {
      const event = step.value;
      options.onProgress?.(
        event.event === 'phase' ? { kind: 'phase', phase: event.phase } : { kind: 'file', path: event.path, fraction: event.progress, state: event.state === 'hashing' ? 'hashing' : 'uploading' },
      );
      step = await iterator.next();
    }
    return { commit: step.value?.commit.oid ?? (await headCommit(session, repo)), uploaded: changed.map((f) => f.pathInRepo), unchanged, recovered: false };
  } catch (error) {
    if (session.signal?.aborted) throw error;
    // The commit may have landed with its answer lost (the retry then finds the parent moved): re-read.
    const landed = await allSameAsRemote(session, repo, changed).catch(() => false);
    if (landed) return { commit: await headCommit(session, repo), uploaded: changed.map((f) => f.pathInRepo), unchanged, recovered: true };
    throw hubError(error, repo, session, `could not upload ${changed.length} file(s)`);
  }
}

/** The head commit of `main`. */
export async function headCommit(session: HubSession, repo: HubRepo): Promise<string> {
  const response = await session.fetch(`${session.endpoint}/api/${repo.type}s/${repo.name}/revision/main`, {
    headers: { Authorization: `Bearer ${session.accessToken}` },
    ...(session.signal ? { signal: session.signal } : {}),
  });
  if (!response.ok) throw hubError(await apiError(response), repo, session, 'could not read the repository');
  const body = (await response.json()) as { sha?: unknown };
  if (typeof body.sha !== 'string') throw new HubError('the hub answered without a commit id for main', repoUrl(session.endpoint, repo));
  return body.sha;
}

async function allSameAsRemote(session: HubSession, repo: HubRepo, files: readonly UploadFile[]): Promise<boolean> {
  return (await sameAsRemote(session, repo, files, await headCommit(session, repo))).every(Boolean);
}

/** For each file, whether the repository holds exactly its bytes at `revision` (by git blob id, or LFS SHA-256); one request. */
async function sameAsRemote(session: HubSession, repo: HubRepo, files: readonly UploadFile[], revision: string): Promise<boolean[]> {
  const hub = await loadHubLibrary();
  const remote = await hub
    .pathsInfo({ repo: { type: repo.type, name: repo.name }, paths: files.map((f) => f.pathInRepo), revision, accessToken: session.accessToken, hubUrl: session.endpoint, fetch: session.fetch })
    .catch((error: unknown) => {
      throw hubError(error, repo, session, 'could not list the files the repository holds');
    });
  const byPath = new Map(remote.filter((info) => info.type === 'file').map((info) => [info.path, info]));
  return Promise.all(
    files.map(async (file) => {
      const info = byPath.get(file.pathInRepo);
      if (!info) return false;
      const size = (await stat(file.localPath)).size;
      if (info.lfs) return info.lfs.size === size && info.lfs.oid === (await fileDigest(file.localPath, 'sha256'));
      return info.size === size && info.oid === (await fileDigest(file.localPath, 'sha1', `blob ${size}\0`));
    }),
  );
}

function fileDigest(localPath: string, algorithm: 'sha1' | 'sha256', prefix = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash(algorithm).update(prefix);
    createReadStream(localPath)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

async function apiError(response: Response): Promise<Error & { statusCode: number }> {
  const text = await response.text().catch(() => '');
  return Object.assign(new Error(`HTTP ${response.status}${text ? `: ${text.slice(0, 300)}` : ''}`), { statusCode: response.status });
}

/** A HubError whose hint follows from the status: token, permission, rate limit, or a hub fault. */
function hubError(error: unknown, repo: HubRepo, session: HubSession, what: string): HubError {
  if (error instanceof HubError) return error;
  const status = statusOf(error);
  const detail = (error as Error).message ?? String(error);
  const hint =
    status === 401
      ? 'the token was refused: check HF_TOKEN (or log in again with `huggingface-cli login`) and that it is a write token'
      : status === 403
        ? `the token may not write to ${repo.name}: use a write token of its owner or organisation, or another repository`
        : status === 412 || status === 409
          ? 'the repository changed while this upload was under way (another push?): push again with `rlaif push`; files already there are not sent twice'
        : status === 429
          ? 'the hub is rate-limiting this token: wait a few minutes and push again with `rlaif push`'
          : status !== undefined && status >= 500
            ? 'the hub had a fault after several retries: push again later with `rlaif push` (files already sent are not sent again)'
            : `check ${session.endpoint} is reachable, then push again with \`rlaif push\``;
  return new HubError(`${what}: ${detail}`, repoUrl(session.endpoint, repo), { hint, cause: error, ...(status === undefined ? {} : { status }) });
}
