/**
 * One repository file into the hub cache, the way Python's huggingface_hub lays it out and resumes
 * it: the body streams into `blobs/<etag>.incomplete`, a retry asks for the rest with a `Range`
 * header, the finished blob is renamed into place and linked from `snapshots/<commit>/<path>`.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, symlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { BackendError } from '@rlaif/core';

export interface CachedFileRequest {
  /** `models--org--name` folder. */
  readonly storage: string;
  readonly hubUrl: string;
  readonly repoId: string;
  readonly commit: string;
  /** Path inside the repository. */
  readonly path: string;
  /** Blob name: the LFS sha256, or the git blob id for small files (what the hub sends as etag). */
  readonly blobId: string;
  readonly size: number;
  readonly accessToken: string | undefined;
  readonly fetch: typeof fetch;
  readonly onBytes?: (loaded: number) => void;
}

/** Downloads (or resumes) one file into the cache; resolves to its snapshot path. */
export async function downloadCachedFile(request: CachedFileRequest): Promise<string> {
  const blob = join(request.storage, 'blobs', request.blobId);
  const pointer = join(request.storage, 'snapshots', request.commit, request.path);
  if ((await sizeOf(blob)) !== request.size) await downloadBlob(request, blob);
  await mkdir(dirname(pointer), { recursive: true });
  await rm(pointer, { force: true });
  await symlink(relative(dirname(pointer), blob), pointer);
  return pointer;
}

async function downloadBlob(request: CachedFileRequest, blob: string): Promise<void> {
  const partial = `${blob}.incomplete`;
  await mkdir(dirname(blob), { recursive: true });
  let offset = (await sizeOf(partial)) ?? 0;
  if (offset > request.size) {
    await rm(partial, { force: true });
    offset = 0;
  }
  const url = `${request.hubUrl.replace(/\/$/, '')}/${request.repoId}/resolve/${request.commit}/${request.path.split('/').map(encodeURIComponent).join('/')}`;
  const headers: Record<string, string> = {};
  if (request.accessToken) headers['authorization'] = `Bearer ${request.accessToken}`;
  if (offset > 0) headers['range'] = `bytes=${offset}-`;
  const response = await request.fetch(url, { headers, redirect: 'follow' });
  if (response.status !== 200 && response.status !== 206) {
    throw new BackendError(`downloading ${request.path} from ${request.hubUrl} failed with HTTP ${response.status}`, {
      hint: response.status === 401 || response.status === 403 ? 'set HF_TOKEN to a token that can read this model' : 'check HF_ENDPOINT and the network, then run again',
    });
  }
  // A server that ignores Range sends the whole file again: start over.
  const resumed = response.status === 206 && offset > 0;
  if (!resumed) offset = 0;
  let loaded = offset;
  request.onBytes?.(loaded);
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      loaded += chunk.byteLength;
      request.onBytes?.(loaded);
      controller.enqueue(chunk);
    },
  });
  if (!response.body) throw new BackendError(`the hub sent no body for ${request.path}`, { hint: 'run again' });
  try {
    await pipeline(Readable.fromWeb(response.body.pipeThrough(counter) as WebReadableStream), createWriteStream(partial, { flags: resumed ? 'a' : 'w' }));
  } catch (error) {
    throw new BackendError(`download of ${request.path} was interrupted after ${loaded} of ${request.size} bytes`, {
      hint: 'the partial file is kept; run again to resume it',
      cause: error,
    });
  }
  const written = (await sizeOf(partial)) ?? 0;
  if (written !== request.size) {
    if (written > request.size) await rm(partial, { force: true });
    throw new BackendError(`download of ${request.path} ended after ${written} of ${request.size} bytes`, {
      hint: written > request.size ? 'the file was discarded; run again' : 'the partial file is kept; run again to resume it',
    });
  }
  await rename(partial, blob);
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}
