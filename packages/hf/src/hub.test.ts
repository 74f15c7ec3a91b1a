import { createHash, randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendError, DataError } from '@rlaif/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveModel, type DownloadProgress } from './hub.js';

// A fake hub on 127.0.0.1 answering the endpoints @huggingface/hub calls: model info, tree, paths-info, resolve.
const COMMIT = 'a'.repeat(40);
const TOKEN = 'hf_testtoken';
const shard = (seed: number) => randomBytes(200_000 + seed);
const files: Record<string, Buffer> = {
  'config.json': Buffer.from(JSON.stringify({ model_type: 'qwen2' })),
  'tokenizer_config.json': Buffer.from('{}'),
  'model.safetensors.index.json': Buffer.from(JSON.stringify({ weight_map: { a: 'model-00001-of-00002.safetensors', b: 'model-00002-of-00002.safetensors' } })),
  'model-00001-of-00002.safetensors': shard(1),
  'model-00002-of-00002.safetensors': shard(2),
  'pytorch_model.bin': randomBytes(1000),
};
const oid = (body: Buffer) => createHash('sha256').update(body).digest('hex');
const isLfs = (path: string) => /\.(safetensors|bin)$/.test(path);
const entry = (path: string) => {
  const body = files[path]!;
  return { type: 'file', path, size: body.length, oid: createHash('sha1').update(body).digest('hex'), ...(isLfs(path) ? { lfs: { oid: oid(body), size: body.length, pointerSize: 130 } } : {}) };
};

interface HubState {
  requests: string[];
  /** Requests for this path's body are cut after some bytes. */
  breakFile: string | undefined;
}
const state: HubState = { requests: [], breakFile: undefined };

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url!, 'http://x');
  state.requests.push(`${req.method} ${url.pathname}${req.headers.range ? ` ${req.headers.range}` : ''}`);
  const json = (status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  const api = /^\/api\/models\/([^/]+\/[^/]+)\/(revision|tree|paths-info)\/([^/]+)$/.exec(url.pathname);
  const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
  const repo = api?.[1] ?? resolve?.[1];
  if (repo !== 'org/tiny' && repo !== 'org/private') return json(404, { error: 'Repository not found' });
  if (repo === 'org/private' && req.headers.authorization !== `Bearer ${TOKEN}`) return json(401, { error: 'Invalid credentials' });
  if (api) {
    const [, , kind, revision] = api;
    if (revision !== 'main' && revision !== COMMIT) return json(404, { error: 'Revision not found' });
    if (kind === 'revision') return json(200, { _id: '1', id: repo, sha: COMMIT, private: repo === 'org/private', downloads: 0, likes: 0, gated: false });
    if (kind === 'tree') return json(200, Object.keys(files).map(entry));
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => json(200, (JSON.parse(body) as { paths: string[] }).paths.filter((p) => p in files).map(entry)));
    return;
  }
  const path = decodeURIComponent(resolve![3]!);
  const body = files[path];
  if (!body) {
    res.writeHead(404, { 'x-error-code': 'EntryNotFound' });
    return void res.end();
  }
  const headers = { etag: `"${isLfs(path) ? oid(body) : entry(path).oid}"`, 'x-repo-commit': COMMIT, 'content-type': 'application/octet-stream' };
  if (req.headers.range === 'bytes=0-0') {
    res.writeHead(206, { ...headers, 'content-range': `bytes 0-0/${body.length}`, 'content-length': '1' });
    return void res.end(body.subarray(0, 1));
  }
  if (path === state.breakFile) {
    res.writeHead(200, { ...headers, 'content-length': String(body.length) });
    res.write(body.subarray(0, 1000));
    setTimeout(() => res.destroy(), 20);
    return;
  }
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (range) {
    const from = Number(range[1]);
    res.writeHead(206, { ...headers, 'content-range': `bytes ${from}-${body.length - 1}/${body.length}`, 'content-length': String(body.length - from) });
    return void res.end(body.subarray(from));
  }
  res.writeHead(200, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}

let server: Server;
let endpoint: string;
let cacheDir: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'rlaif-hub-'));
  state.requests = [];
  state.breakFile = undefined;
  for (const key of ['HF_HOME', 'HF_HUB_CACHE', 'HF_HUB_OFFLINE', 'HF_TOKEN', 'HF_ENDPOINT', 'HUGGINGFACE_HUB_CACHE']) delete process.env[key];
});
afterEach(() => {
  rmSync(cacheDir, { recursive: true, force: true });
  process.env = { ...savedEnv };
});

const storage = () => join(cacheDir, 'models--org--tiny');
const bodyRequests = () => state.requests.filter((r) => r.startsWith('GET') && r.includes('/resolve/') && !r.endsWith('bytes=0-0'));

describe('resolveModel', () => {
  it('downloads a hub model into the Python cache layout and reports progress', async () => {
    const progress: DownloadProgress[] = [];
    const folder = await resolveModel('org/tiny', { cacheDir, endpoint, onProgress: (p) => progress.push(p) });
    expect(folder).toBe(join(storage(), 'snapshots', COMMIT));
    expect(readFileSync(join(storage(), 'refs', 'main'), 'utf8')).toBe(COMMIT);
    expect(readdirSync(folder).sort()).toEqual(Object.keys(files).filter((f) => !f.endsWith('.bin')).sort());
    // Snapshot entries are symlinks into blobs/, named by etag (sha256 for LFS files).
    const shardPath = join(folder, 'model-00002-of-00002.safetensors');
    expect(lstatSync(shardPath).isSymbolicLink()).toBe(true);
    expect(existsSync(join(storage(), 'blobs', oid(files['model-00002-of-00002.safetensors']!)))).toBe(true);
    expect(readFileSync(shardPath).equals(files['model-00002-of-00002.safetensors']!)).toBe(true);
    const last = progress.filter((p) => p.file === 'model-00001-of-00002.safetensors').at(-1)!;
    expect(last.loadedBytes).toBe(last.totalBytes);
    expect(progress.some((p) => p.loadedBytes > 0 && p.loadedBytes < p.totalBytes)).toBe(true);
    expect(new Set(progress.map((p) => p.fileCount))).toEqual(new Set([5]));
  });

  it('reuses cached files on the next call and works offline from the cache', async () => {
    const first = await resolveModel('org/tiny', { cacheDir, endpoint });
    const downloads = bodyRequests().length;
    expect(downloads).toBe(5);
    expect(await resolveModel('org/tiny', { cacheDir, endpoint })).toBe(first);
    expect(bodyRequests().length).toBe(downloads);
    state.requests = [];
    process.env['HF_HUB_OFFLINE'] = '1';
    expect(await resolveModel('org/tiny', { cacheDir, endpoint })).toBe(first);
    expect(await resolveModel('org/tiny', { cacheDir, endpoint, revision: COMMIT })).toBe(first);
    expect(state.requests).toEqual([]);
  });

  it('fails offline with how to fetch the model when it is not cached', async () => {
    const attempt = resolveModel('org/tiny', { cacheDir, endpoint, offline: true });
    await expect(attempt).rejects.toThrow(BackendError);
    await expect(resolveModel('org/tiny', { cacheDir, endpoint, offline: true })).rejects.toThrow(/huggingface-cli download org\/tiny/);
    expect(state.requests).toEqual([]);
  });

  it('falls back to the cached snapshot when the hub cannot be reached', async () => {
    const first = await resolveModel('org/tiny', { cacheDir, endpoint });
    expect(await resolveModel('org/tiny', { cacheDir, endpoint: 'http://127.0.0.1:1' })).toBe(first);
  });

  it('honours HF_HOME, HF_ENDPOINT and HF_TOKEN', async () => {
    process.env['HF_HOME'] = cacheDir;
    process.env['HF_ENDPOINT'] = endpoint;
    await expect(resolveModel('org/private')).rejects.toThrow(/access denied.*HTTP 401[\s\S]*HF_TOKEN/);
    process.env['HF_TOKEN'] = TOKEN;
    const folder = await resolveModel('org/private');
    expect(folder).toBe(join(cacheDir, 'hub', 'models--org--private', 'snapshots', COMMIT));
  });

  it('reports unknown repositories and revisions as BackendErrors', async () => {
    await expect(resolveModel('org/missing', { cacheDir, endpoint })).rejects.toThrow(/org\/missing@main .*not found \(HTTP 404\)/);
    await expect(resolveModel('org/tiny', { cacheDir, endpoint, revision: 'v9' })).rejects.toThrow(/org\/tiny@v9 .*not found/);
  });

  it('never leaves a complete-looking blob after an interrupted download, and a retry resumes it', async () => {
    state.breakFile = 'model-00001-of-00002.safetensors';
    await expect(resolveModel('org/tiny', { cacheDir, endpoint })).rejects.toThrow(/interrupted after \d+ of 200001 bytes[\s\S]*run again to resume/);
    const blob = join(storage(), 'blobs', oid(files['model-00001-of-00002.safetensors']!));
    expect(existsSync(blob)).toBe(false);
    const kept = lstatSync(`${blob}.incomplete`).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(200_001);
    expect(existsSync(join(storage(), 'snapshots', COMMIT, 'model-00001-of-00002.safetensors'))).toBe(false);
    // Offline mode does not take the half-downloaded snapshot for a complete one.
    await expect(resolveModel('org/tiny', { cacheDir, endpoint, offline: true })).rejects.toThrow(/not in the Hugging Face cache/);
    state.breakFile = undefined;
    state.requests = [];
    const folder = await resolveModel('org/tiny', { cacheDir, endpoint });
    expect(readFileSync(join(folder, 'model-00001-of-00002.safetensors')).equals(files['model-00001-of-00002.safetensors']!)).toBe(true);
    // Only the missing bytes were asked for.
    expect(state.requests).toContain(`GET /org/tiny/resolve/${COMMIT}/model-00001-of-00002.safetensors bytes=${kept}-`);
    expect(existsSync(`${blob}.incomplete`)).toBe(false);
  });

  it('returns an existing local folder as is, and rejects a missing path', async () => {
    expect(await resolveModel(cacheDir)).toBe(cacheDir);
    await expect(resolveModel('./no/such/folder')).rejects.toThrow(DataError);
    expect(state.requests).toEqual([]);
  });
});
