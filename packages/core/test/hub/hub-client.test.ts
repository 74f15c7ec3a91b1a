import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RlaifError } from '../../src/errors/index.js';
import { commitFiles, ensureRepo, type HubSession, type UploadFile } from '../../src/hub/hub-client.js';
import { retryingFetch } from '../../src/hub/retrying-fetch.js';
import { FakeHub } from './fake-hub-server.js';

const TOKEN = 'hf_test_token_0123456789';
let hub: FakeHub;
let scratch: string;
const retries: string[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'rlaif-hub-client-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));
afterEach(() => hub?.stop());

async function startHub(): Promise<HubSession> {
  hub = await new FakeHub({ token: TOKEN, writableNamespaces: ['alice'], lfsThresholdBytes: 1024 }).start();
  retries.length = 0;
  const fetch = retryingFetch({ policy: { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 1000, timeoutMs: 10_000 }, onRetry: (r) => retries.push(`${r.method} ${new URL(r.url).pathname} ${r.reason}`) });
  return { endpoint: hub.url, accessToken: TOKEN, fetch };
}

/** A small text file and a 300 kB binary one (which goes through LFS). */
async function files(name: string, seed = 1): Promise<UploadFile[]> {
  const dir = await mkdtemp(path.join(scratch, `${name}-`));
  const weights = Buffer.alloc(300_000);
  for (let i = 0; i < weights.length; i++) weights[i] = (i * 31 + seed) & 0xff;
  await writeFile(path.join(dir, 'adapter_model.safetensors'), weights);
  await writeFile(path.join(dir, 'README.md'), `# card ${seed}\n`);
  return [
    { pathInRepo: 'adapter_model.safetensors', localPath: path.join(dir, 'adapter_model.safetensors') },
    { pathInRepo: 'README.md', localPath: path.join(dir, 'README.md') },
  ];
}

const repo = { type: 'model' as const, name: 'alice/coder' };

describe('hub client against a local hub', () => {
  it('creates the repository once and commits every file byte for byte, the large one through LFS', async () => {
    const session = await startHub();
    expect(await ensureRepo(session, repo, { private: true })).toBe(true);
    expect(await ensureRepo(session, repo, { private: true })).toBe(false); // 409: exists
    expect(hub.isPrivate('model', repo.name)).toBe(true);
    const upload = await files('plain');
    const result = await commitFiles(session, repo, upload, { title: 'Upload adapter' });
    expect(result.uploaded).toEqual(['adapter_model.safetensors', 'README.md']);
    for (const file of upload) expect(hub.file('model', repo.name, file.pathInRepo)!.equals(await readFile(file.localPath))).toBe(true);
    expect(hub.lfsUploads.size).toBe(1);
    expect(hub.commits('model', repo.name).map((c) => c.title)).toEqual(['initial commit', 'Upload adapter']);
    expect(result.commit).toBe(hub.commits('model', repo.name).at(-1)!.id);
  });

  it('sends nothing and makes no commit when the repository already holds the files', async () => {
    const session = await startHub();
    await ensureRepo(session, repo, { private: false });
    const upload = await files('again');
    await commitFiles(session, repo, upload, { title: 'first' });
    const second = await commitFiles(session, repo, upload, { title: 'second' });
    expect(second).toMatchObject({ commit: null, uploaded: [], unchanged: ['adapter_model.safetensors', 'README.md'] });
    expect(hub.commits('model', repo.name)).toHaveLength(2);
  });

  it('retries 429 and 5xx answers and still commits once', async () => {
    const session = await startHub();
    await ensureRepo(session, repo, { private: true });
    hub.inject({ method: 'POST', path: /\/preupload\//, status: 503 });
    hub.inject({ method: 'POST', path: /objects\/batch$/, status: 429, headers: { 'Retry-After': '0' } });
    hub.inject({ method: 'PUT', path: /^\/lfs-upload\//, status: 502 });
    hub.inject({ method: 'POST', path: /\/commit\/main$/, status: 500 });
    const upload = await files('faults');
    await commitFiles(session, repo, upload, { title: 'with faults' });
    expect(retries).toHaveLength(4);
    expect(hub.commits('model', repo.name).map((c) => c.title)).toEqual(['initial commit', 'with faults']);
    expect(hub.file('model', repo.name, 'adapter_model.safetensors')!.equals(await readFile(upload[0]!.localPath))).toBe(true);
  });

  it('retries a dropped connection, and a commit whose connection dropped after it landed is not made twice', async () => {
    const session = await startHub();
    await ensureRepo(session, repo, { private: true });
    hub.inject({ method: 'PUT', path: /^\/lfs-upload\//, status: 0 });
    hub.inject({ method: 'POST', path: /\/commit\/main$/, status: 0, when: 'after' });
    const upload = await files('dropped');
    const result = await commitFiles(session, repo, upload, { title: 'dropped' });
    expect(retries.map((r) => r.split(' ')[0])).toEqual(['PUT', 'POST']);
    expect(result.recovered).toBe(true);
    expect(hub.commits('model', repo.name).map((c) => c.title)).toEqual(['initial commit', 'dropped']);
    expect(hub.file('model', repo.name, 'adapter_model.safetensors')!.equals(await readFile(upload[0]!.localPath))).toBe(true);
  });

  it('does not duplicate a commit whose answer was lost: the retry meets the moved parent and the repository is re-read', async () => {
    const session = await startHub();
    await ensureRepo(session, repo, { private: true });
    hub.inject({ method: 'POST', path: /\/commit\/main$/, status: 502, when: 'after' });
    const result = await commitFiles(session, repo, await files('lost'), { title: 'lost answer' });
    expect(result.recovered).toBe(true);
    expect(hub.commits('model', repo.name).map((c) => c.title)).toEqual(['initial commit', 'lost answer']);
    expect(hub.requests.filter((r) => r.path.endsWith('/commit/main')).map((r) => r.status)).toEqual([502, 412]);
  });

  it('resumes an interrupted upload: an LFS object already stored is not sent again', async () => {
    const session = await startHub();
    await ensureRepo(session, repo, { private: true });
    // The commit keeps failing after the LFS upload, beyond the retries: the upload fails.
    hub.inject({ method: 'POST', path: /\/commit\/main$/, status: 503, times: 4 });
    const upload = await files('resume');
    const failed = await commitFiles(session, repo, upload, { title: 'try 1' }).catch((error: unknown) => error);
    expect(RlaifError.isInstance(failed) && failed.code).toBe('RLAIF_HUB');
    expect(String((failed as Error).message)).toContain('rlaif push');
    expect(hub.commits('model', repo.name)).toHaveLength(1);
    await commitFiles(session, repo, upload, { title: 'try 2' });
    expect([...hub.lfsUploads.values()]).toEqual([1]);
    expect(hub.file('model', repo.name, 'adapter_model.safetensors')!.equals(await readFile(upload[0]!.localPath))).toBe(true);
  });

  it('a commit refused because the repository moved on says to push again', async () => {
    const session = await startHub();
    await ensureRepo(session, repo, { private: true });
    hub.inject({ method: 'POST', path: /\/commit\/main$/, status: 412 });
    const error = (await commitFiles(session, repo, await files('moved'), { title: 'moved' }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/→ the repository changed while this upload was under way \(another push\?\): push again with `rlaif push`/);
  });

  it('fails with a typed error saying what to do on 401 and 403', async () => {
    const session = await startHub();
    const refused = (await ensureRepo({ ...session, accessToken: 'hf_wrong_token_000000' }, repo, { private: true }).catch((e: unknown) => e)) as Error;
    expect(refused.message).toMatch(/alice\/coder: could not create the repository[\s\S]*→ the token was refused: check HF_TOKEN/);
    const forbidden = (await ensureRepo(session, { type: 'model', name: 'bob/coder' }, { private: true }).catch((e: unknown) => e)) as Error;
    expect(forbidden.message).toMatch(/→ the token may not write to bob\/coder/);
    expect(retries).toEqual([]);
  });
});
