import { stat } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { BackendError, DataError } from '@rlaif/core';
import { HubApiError, listFiles, modelInfo, type ListFileEntry } from '@huggingface/hub';
import { cachedSnapshot, hubCacheDir, isCommitHash, repoCacheFolder, writeRef } from './hub-cache.js';
import { downloadCachedFile } from './hub-download.js';
import { findWeightFiles } from './weight-files.js';

/** Bytes received so far for one file of a hub download. */
export interface DownloadProgress {
  /** Path of the file inside the repository. */
  readonly file: string;
  /** 0-based position of the file among those being downloaded. */
  readonly fileIndex: number;
  readonly fileCount: number;
  readonly loadedBytes: number;
  readonly totalBytes: number;
}

/** Options of `resolveModel`; each falls back to the environment variable Python's huggingface_hub reads. */
export interface ResolveModelOptions {
  /** Branch, tag or commit (default `main`). */
  readonly revision?: string;
  /** Cache folder (default HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub). */
  readonly cacheDir?: string;
  /** Use only the cache, never the network (default HF_HUB_OFFLINE). */
  readonly offline?: boolean;
  /** Access token for gated or private models (default HF_TOKEN); must start with `hf_`. */
  readonly token?: string;
  /** Hub URL (default HF_ENDPOINT, else https://huggingface.co). */
  readonly endpoint?: string;
  /** Which repository files to fetch (default: configs, tokenizer files, templates and safetensors). */
  readonly include?: (path: string) => boolean;
  /** Throws unless a snapshot holds every file the caller needs (default: the safetensors weights); a cached snapshot that fails is not used. */
  readonly checkSnapshot?: (folder: string) => Promise<unknown>;
  /** Called as bytes arrive. */
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** fetch implementation (tests, proxies). */
  readonly fetch?: typeof fetch;
}

const DEFAULT_ENDPOINT = 'https://huggingface.co';
const REPO_ID = /^[A-Za-z0-9][\w.-]*(\/[\w.-]+)?$/;

/** The files a backend needs: every JSON/text/template/tokenizer file and the safetensors weights, not .bin/.gguf/.onnx copies. */
export function isModelFile(path: string): boolean {
  return /\.(json|safetensors|jinja|txt|model|tiktoken)$/.test(path) && !path.includes('/onnx/');
}

/**
 * Turns a model name or path into a local folder in Hugging Face layout. A local folder wins; a hub id is
 * downloaded into the standard cache (models--org--name/blobs, snapshots/<commit>, refs/<revision>) or,
 * offline, read from it.
 */
export async function resolveModel(nameOrPath: string, options: ResolveModelOptions = {}): Promise<string> {
  if (await isDirectory(nameOrPath)) return resolve(nameOrPath);
  if (isAbsolute(nameOrPath) || nameOrPath.startsWith('.') || nameOrPath.startsWith('~') || !REPO_ID.test(nameOrPath)) {
    throw new DataError('model folder not found, and the name is not a hub id (org/name)', nameOrPath, undefined, {
      hint: 'set model.name to an existing folder with config.json, or to a hub id like Qwen/Qwen2.5-Coder-0.5B-Instruct',
    });
  }
  const env = process.env;
  const revision = options.revision ?? 'main';
  const cacheDir = options.cacheDir ?? hubCacheDir(env);
  const storage = repoCacheFolder(cacheDir, nameOrPath);
  const offline = options.offline ?? isTruthy(env['HF_HUB_OFFLINE']);
  if (offline) {
    const snapshot = await cachedSnapshot(storage, revision, options.checkSnapshot);
    if (snapshot) return snapshot;
    throw new BackendError(`${nameOrPath}@${revision} is not in the Hugging Face cache at ${cacheDir} and offline mode is on`, {
      hint: `download it once with network access (unset HF_HUB_OFFLINE, or run \`huggingface-cli download ${nameOrPath} --revision ${revision}\`), or point HF_HUB_CACHE/HF_HOME at a cache that has it`,
    });
  }
  const context: DownloadContext = {
    repoId: nameOrPath,
    revision,
    cacheDir,
    storage,
    hubUrl: (options.endpoint ?? env['HF_ENDPOINT'] ?? DEFAULT_ENDPOINT).replace(/\/+$/, ''),
    accessToken: options.token ?? env['HF_TOKEN'] ?? env['HUGGING_FACE_HUB_TOKEN'],
    fetch: options.fetch ?? globalThis.fetch,
  };
  let commit: string;
  try {
    commit = await resolveCommit(context);
  } catch (error) {
    // Like huggingface_hub: when the hub cannot be reached, a complete cached snapshot is good enough.
    if (!(error instanceof HubApiError) && !(error instanceof BackendError)) {
      const snapshot = await cachedSnapshot(storage, revision, options.checkSnapshot);
      if (snapshot) return snapshot;
    }
    throw toBackendError(error, context);
  }
  try {
    return await downloadSnapshot(context, commit, options.include ?? isModelFile, options.onProgress, options.checkSnapshot);
  } catch (error) {
    throw toBackendError(error, context);
  }
}

interface DownloadContext {
  readonly repoId: string;
  readonly revision: string;
  readonly cacheDir: string;
  readonly storage: string;
  readonly hubUrl: string;
  readonly accessToken: string | undefined;
  readonly fetch: typeof fetch;
}

// Asks the hub which commit the revision points to.
async function resolveCommit(context: DownloadContext): Promise<string> {
  const { repoId, revision, hubUrl, accessToken } = context;
  const info = await modelInfo({ name: repoId, revision, hubUrl, fetch: context.fetch, additionalFields: ['sha'], ...(accessToken ? { accessToken } : {}) });
  const commit = info.sha;
  if (typeof commit !== 'string' || !isCommitHash(commit)) {
    throw new BackendError(`the hub at ${hubUrl} returned no commit id for ${repoId}@${revision}`, {
      hint: 'check HF_ENDPOINT points at a Hugging Face compatible hub',
    });
  }
  return commit;
}

async function downloadSnapshot(
  context: DownloadContext,
  commit: string,
  include: (path: string) => boolean,
  onProgress: ((progress: DownloadProgress) => void) | undefined,
  checkSnapshot: ((folder: string) => Promise<unknown>) | undefined,
): Promise<string> {
  const { repoId, revision, hubUrl, accessToken } = context;
  const credentials = accessToken ? { accessToken } : {};
  // Python's offline mode finds a snapshot through refs/<revision>.
  if (revision !== commit) await writeRef(context.storage, revision, commit);
  const entries: ListFileEntry[] = [];
  const repo = { type: 'model' as const, name: repoId };
  for await (const entry of listFiles({ repo, revision: commit, recursive: true, hubUrl, fetch: context.fetch, ...credentials })) {
    if (entry.type === 'file' && include(entry.path)) entries.push(entry);
  }
  if (!entries.some((e) => e.path === 'config.json')) {
    throw new BackendError(`${repoId}@${revision} has no config.json`, { hint: 'check the repository id: rlaif loads transformers model repositories' });
  }
  for (const [fileIndex, entry] of entries.entries()) {
    const totalBytes = entry.lfs?.size ?? entry.size;
    const report = onProgress
      ? (loadedBytes: number) => onProgress({ file: entry.path, fileIndex, fileCount: entries.length, loadedBytes, totalBytes })
      : undefined;
    report?.(0);
    const blobId = entry.lfs?.oid ?? entry.oid;
    if (!blobId) {
      throw new BackendError(`the hub listed ${entry.path} without an object id`, { hint: 'check HF_ENDPOINT points at a Hugging Face compatible hub' });
    }
    await downloadCachedFile({
      storage: context.storage,
      hubUrl,
      repoId,
      commit,
      path: entry.path,
      blobId,
      size: totalBytes,
      accessToken,
      fetch: context.fetch,
      ...(report ? { onBytes: report } : {}),
    });
    report?.(totalBytes);
  }
  const snapshot = join(context.storage, 'snapshots', commit);
  if (checkSnapshot) await checkSnapshot(snapshot);
  else if (entries.some((e) => e.path.endsWith('.safetensors'))) await findWeightFiles(snapshot);
  return snapshot;
}

function toBackendError(error: unknown, context: DownloadContext): BackendError {
  if (error instanceof BackendError) return error;
  const where = `${context.repoId}@${context.revision} from ${context.hubUrl}`;
  if (error instanceof HubApiError) {
    if (error.statusCode === 401 || error.statusCode === 403) {
      return new BackendError(`access denied to ${where} (HTTP ${error.statusCode})`, {
        hint: 'set HF_TOKEN to a token that can read this model (and accept its license on the model page)',
        cause: error,
      });
    }
    if (error.statusCode === 404) {
      return new BackendError(`${where} was not found (HTTP 404)`, {
        hint: 'check the model id and model.revision; private models also need HF_TOKEN',
        cause: error,
      });
    }
    return new BackendError(`downloading ${where} failed: ${error.message}`, { hint: 'retry later, or use a cached copy with HF_HUB_OFFLINE=1', cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new BackendError(`downloading ${where} failed: ${message}`, {
    hint: 'check the network and HF_ENDPOINT; a model downloaded before can be used with HF_HUB_OFFLINE=1',
    cause: error,
  });
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
}
