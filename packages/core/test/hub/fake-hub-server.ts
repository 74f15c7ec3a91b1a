/**
 * A local Hugging Face hub for tests: the HTTP API as @huggingface/hub uploads through it (repo
 * creation, preupload, LFS batch and basic upload, NDJSON commits with a parent check, paths-info)
 * and as huggingface_hub / datasets read from it (revision info, tree, resolve). Faults are
 * injected per route: a status before the request is handled, or after it (the answer is lost).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A stored file: inline bytes (a git blob) or a pointer to an LFS object. */
type StoredFile = { readonly content: Buffer; readonly lfs: boolean };

interface Commit {
  readonly id: string;
  readonly parent: string | null;
  readonly title: string;
  readonly files: ReadonlyMap<string, StoredFile>;
}

interface Repo {
  readonly type: 'model' | 'dataset';
  readonly name: string;
  readonly private: boolean;
  readonly commits: Commit[];
}

/** A fault: answer `status` instead of (`when: 'before'`) or after (`'after'`) handling the request; status 0 drops the connection. */
export interface Fault {
  readonly method?: string;
  /** Matched against the request path. */
  readonly path: RegExp;
  readonly status: number;
  readonly when?: 'before' | 'after';
  /** How many matching requests fail (default 1). */
  readonly times?: number;
  readonly headers?: Record<string, string>;
}

/** One request as the server saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

export interface FakeHubOptions {
  /** The only accepted token. */
  readonly token: string;
  /** Namespaces the token may write to (default: any). */
  readonly writableNamespaces?: readonly string[];
  /** Files larger than this go through LFS (the hub: 10 MB), as do binary files. */
  readonly lfsThresholdBytes?: number;
}

export class FakeHub {
  readonly requests: SeenRequest[] = [];
  readonly faults: (Fault & { remaining: number })[] = [];
  /** LFS objects by SHA-256, and how many times each was uploaded. */
  readonly lfsObjects = new Map<string, Buffer>();
  readonly lfsUploads = new Map<string, number>();
  private readonly repos = new Map<string, Repo>();
  private server: Server | undefined;
  url = '';

  constructor(private readonly options: FakeHubOptions) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 });
  }

  /** The commits of a repository, oldest first (empty when it does not exist). */
  commits(type: Repo['type'], name: string): readonly Commit[] {
    return this.repos.get(`${type}:${name}`)?.commits ?? [];
  }

  /** A file's bytes at the head of main (LFS pointers resolved), or undefined. */
  file(type: Repo['type'], name: string, path: string): Buffer | undefined {
    const repo = this.repos.get(`${type}:${name}`);
    const stored = repo?.commits.at(-1)?.files.get(path);
    return stored?.content;
  }

  isPrivate(type: Repo['type'], name: string): boolean | undefined {
    return this.repos.get(`${type}:${name}`)?.private;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const record = (status: number) => this.requests.push({ method, path: url.pathname, status });
    const fault = this.takeFault(method, url.pathname);
    if (fault && (fault.when ?? 'before') === 'before') {
      record(fault.status);
      if (fault.status === 0) return void req.socket.destroy();
      return send(res, fault.status, { error: `injected ${fault.status}` }, fault.headers);
    }
    let status = 500;
    let payload: unknown;
    let headers: Record<string, string> = {};
    try {
      ({ status, payload, headers = {} } = this.route(method, url, body, req.headers.authorization));
    } catch (error) {
      status = 500;
      payload = { error: (error as Error).message };
    }
    if (fault) {
      record(fault.status);
      if (fault.status === 0) return void req.socket.destroy();
      return send(res, fault.status, { error: `injected ${fault.status} after handling` }, fault.headers);
    }
    record(status);
    if (method === 'HEAD') {
      res.writeHead(status, headers);
      return void res.end();
    }
    if (Buffer.isBuffer(payload)) {
      res.writeHead(status, { 'Content-Length': String(payload.length), ...headers });
      return void res.end(payload);
    }
    send(res, status, payload, headers);
  }

  private takeFault(method: string, path: string): (Fault & { remaining: number }) | undefined {
    const fault = this.faults.find((f) => f.remaining > 0 && (!f.method || f.method === method) && f.path.test(path));
    if (fault) fault.remaining -= 1;
    return fault;
  }

  private route(method: string, url: URL, body: Buffer, authorization: string | undefined): Reply {
    const path = url.pathname;
    const authed = authorization === `Bearer ${this.options.token}`;
    let match: RegExpMatchArray | null;

    if (method === 'PUT' && (match = path.match(/^\/lfs-upload\/([0-9a-f]{64})$/))) {
      const oid = match[1]!;
      if (sha256(body) !== oid) return { status: 400, payload: { error: 'uploaded bytes do not match the oid' } };
      this.lfsObjects.set(oid, body);
      this.lfsUploads.set(oid, (this.lfsUploads.get(oid) ?? 0) + 1);
      return { status: 200, payload: {} };
    }
    // huggingface_hub checks a README's metadata before uploading it; this hub accepts any.
    if (method === 'POST' && path === '/api/validate-yaml') return { status: 200, payload: { errors: [], warnings: [] } };
    if (method === 'POST' && path === '/api/repos/create') {
      if (!authed) return unauthorized();
      const request = JSON.parse(body.toString('utf8')) as { name: string; organization: string; type?: Repo['type']; visibility?: string };
      const type = request.type ?? 'model';
      const name = `${request.organization}/${request.name}`;
      if (!this.mayWrite(name)) return forbidden(name);
      const url = `${this.url}/${type === 'dataset' ? 'datasets/' : ''}${name}`;
      if (this.repos.has(`${type}:${name}`)) return { status: 409, payload: { error: 'You already created this repo', url } };
      const attributes = Buffer.from('*.safetensors filter=lfs diff=lfs merge=lfs -text\n*.gguf filter=lfs diff=lfs merge=lfs -text\n');
      const initial: Commit = { id: commitId(), parent: null, title: 'initial commit', files: new Map([['.gitattributes', { content: attributes, lfs: false }]]) };
      this.repos.set(`${type}:${name}`, { type, name, private: request.visibility !== 'public', commits: [initial] });
      return { status: 200, payload: { url, name } };
    }
    if ((match = path.match(/^\/(datasets\/)?([^/]+\/[^/]+)\.git\/info\/lfs\/objects\/batch$/)) && method === 'POST') {
      if (!authed) return unauthorized();
      const repo = this.repo(match[1] ? 'dataset' : 'model', match[2]!);
      if (!repo) return notFound();
      const request = JSON.parse(body.toString('utf8')) as { objects: { oid: string; size: number }[] };
      return {
        status: 200,
        payload: {
          transfer: 'basic',
          objects: request.objects.map((object) =>
            this.lfsObjects.has(object.oid) ? { oid: object.oid, size: object.size } : { oid: object.oid, size: object.size, actions: { upload: { href: `${this.url}/lfs-upload/${object.oid}` } } },
          ),
        },
      };
    }
    if ((match = path.match(/^\/api\/(model|dataset)s\/([^/]+\/[^/]+)\/(preupload|commit|paths-info|revision|tree)\/([^/]+)(?:\/(.*))?$/))) {
      const [, type, name, action, rawRevision, rest] = match;
      const repo = this.repo(type as Repo['type'], name!);
      if (!repo || (repo.private && !authed)) return notFound();
      const revision = decodeURIComponent(rawRevision!);
      if (action === 'preupload' && method === 'POST') {
        if (!authed) return unauthorized();
        const request = JSON.parse(body.toString('utf8')) as { files: { path: string; size: number; sample: string }[] };
        const threshold = this.options.lfsThresholdBytes ?? 10 * 1024 * 1024;
        return {
          status: 200,
          payload: { files: request.files.map((f) => ({ path: f.path, uploadMode: f.size > threshold || Buffer.from(f.sample, 'base64').includes(0) ? 'lfs' : 'regular', shouldIgnore: false })) },
        };
      }
      if (action === 'commit' && method === 'POST') {
        if (!authed) return unauthorized();
        if (!this.mayWrite(name!)) return forbidden(name!);
        return this.commit(repo, body);
      }
      const commit = this.resolve(repo, revision);
      if (!commit) return { status: 404, payload: { error: `Invalid rev id: ${revision}` } };
      if (action === 'paths-info' && method === 'POST') {
        const request = JSON.parse(body.toString('utf8')) as { paths: string[] };
        return { status: 200, payload: request.paths.flatMap((p) => (commit.files.has(p) ? [pathInfo(p, commit.files.get(p)!)] : [])) };
      }
      if (action === 'revision' && method === 'GET') {
        const siblings = [...commit.files.keys()].map((rfilename) => ({ rfilename }));
        return { status: 200, payload: { _id: name, id: name, sha: commit.id, private: repo.private, siblings, tags: [], downloads: 0, likes: 0, lastModified: new Date().toISOString(), cardData: {} } };
      }
      if (action === 'tree' && method === 'GET') {
        const prefix = rest ? `${decodeURIComponent(rest).replace(/\/$/, '')}/` : '';
        const recursive = url.searchParams.get('recursive') === 'true' || url.searchParams.get('recursive') === 'True';
        const entries = new Map<string, unknown>();
        for (const [p, file] of commit.files) {
          if (!p.startsWith(prefix)) continue;
          const tail = p.slice(prefix.length);
          const slash = tail.indexOf('/');
          if (slash >= 0 && !recursive) entries.set(prefix + tail.slice(0, slash), { type: 'directory', path: prefix + tail.slice(0, slash), oid: '0'.repeat(40), size: 0 });
          else entries.set(p, pathInfo(p, file));
          if (slash >= 0 && recursive) {
            const parts = tail.split('/');
            for (let i = 1; i < parts.length; i++) entries.set(prefix + parts.slice(0, i).join('/'), { type: 'directory', path: prefix + parts.slice(0, i).join('/'), oid: '0'.repeat(40), size: 0 });
          }
        }
        return { status: 200, payload: [...entries.values()] };
      }
    }
    if ((method === 'GET' || method === 'HEAD') && (match = path.match(/^\/(datasets\/)?([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/))) {
      const repo = this.repo(match[1] ? 'dataset' : 'model', match[2]!);
      if (!repo || (repo.private && !authed)) return { status: 404, payload: { error: 'Repository not found' }, headers: { 'X-Error-Code': 'RepositoryNotFound' } };
      const commit = this.resolve(repo, decodeURIComponent(match[3]!));
      const file = commit?.files.get(decodeURIComponent(match[4]!));
      if (!commit || !file) return { status: 404, payload: { error: 'Entry not found' }, headers: { 'X-Error-Code': 'EntryNotFound' } };
      const etag = file.lfs ? sha256(file.content) : gitBlobId(file.content);
      const headers = { ETag: `"${etag}"`, 'X-Repo-Commit': commit.id, 'Content-Length': String(file.content.length), 'Accept-Ranges': 'bytes' };
      return { status: 200, payload: file.content, headers };
    }
    return notFound();
  }

  private commit(repo: Repo, body: Buffer): Reply {
    const lines = body
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as { key: string; value: Record<string, unknown> });
    const header = lines.find((l) => l.key === 'header')?.value as { summary: string; parentCommit?: string } | undefined;
    if (!header) return { status: 400, payload: { error: 'missing header' } };
    const head = repo.commits.at(-1)!;
    if (header.parentCommit && header.parentCommit !== head.id) {
      return { status: 412, payload: { error: `A commit has happened since. Please refresh and try again. (parent ${header.parentCommit}, head ${head.id})` } };
    }
    const files = new Map(head.files);
    for (const { key, value } of lines) {
      if (key === 'file') {
        files.set(String(value['path']), { content: Buffer.from(String(value['content']), value['encoding'] === 'base64' ? 'base64' : 'utf8'), lfs: false });
      } else if (key === 'lfsFile') {
        const object = this.lfsObjects.get(String(value['oid']));
        if (!object || object.length !== value['size']) return { status: 422, payload: { error: `LFS object ${String(value['oid'])} was not uploaded` } };
        files.set(String(value['path']), { content: object, lfs: true });
      } else if (key === 'deletedFile') {
        files.delete(String(value['path']));
      }
    }
    const commit: Commit = { id: commitId(), parent: head.id, title: header.summary, files };
    repo.commits.push(commit);
    return { status: 200, payload: { commitOid: commit.id, commitUrl: `${this.url}/${repo.name}/commit/${commit.id}`, success: true } };
  }

  private repo(type: Repo['type'], name: string): Repo | undefined {
    return this.repos.get(`${type}:${name}`);
  }

  private resolve(repo: Repo, revision: string): Commit | undefined {
    return revision === 'main' ? repo.commits.at(-1) : repo.commits.find((c) => c.id === revision);
  }

  private mayWrite(name: string): boolean {
    const namespaces = this.options.writableNamespaces;
    return !namespaces || namespaces.includes(name.split('/')[0]!);
  }
}

type Reply = { status: number; payload: unknown; headers?: Record<string, string> };

const unauthorized = (): Reply => ({ status: 401, payload: { error: 'Invalid credentials in Authorization header' } });
const forbidden = (name: string): Reply => ({ status: 403, payload: { error: `You don't have the rights to create or write to ${name}` } });
const notFound = (): Reply => ({ status: 404, payload: { error: 'Repository not found' } });

function pathInfo(path: string, file: StoredFile) {
  return file.lfs
    ? { type: 'file', path, size: file.content.length, oid: gitBlobId(Buffer.from(`version https://git-lfs.github.com/spec/v1\noid sha256:${sha256(file.content)}\nsize ${file.content.length}\n`)), lfs: { oid: sha256(file.content), size: file.content.length, pointerSize: 130 } }
    : { type: 'file', path, size: file.content.length, oid: gitBlobId(file.content) };
}

function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload ?? {});
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const gitBlobId = (bytes: Buffer) => createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
const commitId = () => randomBytes(20).toString('hex');
