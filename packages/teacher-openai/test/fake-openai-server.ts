/**
 * A local stand-in for api.openai.com speaking the real wire protocol (Chat Completions, Files,
 * Batches), judging deterministically and injecting faults on demand. Test-only.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Faults the server can inject into one chat request. */
export type Fault = 'rate-limit' | 'overloaded' | 'server-error' | 'reset' | 'hang' | 'malformed' | 'truncated' | 'refusal' | 'no-json-schema' | 'unauthorized' | 'quota';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly json: Record<string, unknown> | undefined;
}

export interface FakeOpenAI {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Decides the fault of each chat request (1-based count). */
  fault: (count: number, body: Record<string, unknown>) => Fault | undefined;
  latencyMs: number;
  /** Final status of every batch job (default `completed`). */
  batchOutcome: 'completed' | 'failed' | 'expired';
  /** Most chat requests seen in flight at once. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

/** Score 9 for code containing `good`, 3 otherwise: lets tests check which score went where. */
export function judge(userPrompt: string): { evaluations: unknown[] } {
  const evaluations = [...userPrompt.matchAll(/Submission ([A-Z]+):\n(`{3,})\w*\n([\s\S]*?)\n\2/g)].map((m) => {
    const score = (m[3] ?? '').includes('good') ? 9 : 3;
    const c = { score, rationale: score === 9 ? 'solid' : 'weak' };
    return { label: m[1], correctness: c, quality: c, efficiency: c, documentation: c };
  });
  return { evaluations };
}

function completion(content: string | null, extra: { finish?: string; refusal?: string; promptChars: number }): Record<string, unknown> {
  return {
    id: 'chatcmpl-test',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: extra.refusal ?? null }, finish_reason: extra.finish ?? 'stop' }],
    usage: { prompt_tokens: Math.ceil(extra.promptChars / 4), completion_tokens: Math.ceil((content ?? '').length / 4), prompt_tokens_details: { cached_tokens: 0 } },
  };
}

/** The reply the fake model gives to a chat body (no faults). */
export function chatReply(body: Record<string, unknown>): Record<string, unknown> {
  const messages = (body['messages'] as { role: string; content: string }[]) ?? [];
  const promptChars = messages.reduce((n, m) => n + m.content.length, 0);
  const user = messages.find((m) => m.role === 'user')?.content ?? '';
  if (body['response_format'] === undefined && !user.includes('Submission A:')) {
    return completion('Here it is:\n```python\ndef solve(a, b):\n    """Adds."""\n    return a + b\n```', { promptChars });
  }
  return completion(JSON.stringify(judge(user)), { promptChars });
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req_test', ...headers });
  res.end(JSON.stringify(body));
}

/** Starts the fake server on 127.0.0.1 with a random port. */
export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  let chatCount = 0;
  const files = new Map<string, string>();
  const batches = new Map<string, { input: string; polls: number; output?: string }>();
  const sockets = new Set<Socket>();
  const state: FakeOpenAI = {
    url: '',
    requests: [],
    fault: () => undefined,
    latencyMs: 0,
    maxInFlight: 0,
    batchOutcome: 'completed',
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  let inFlight = 0;
  const server = createServer((req, res) => {
    if (req.url === '/v1/chat/completions') {
      inFlight++;
      (state as { maxInFlight: number }).maxInFlight = Math.max(state.maxInFlight, inFlight);
      res.on('close', () => inFlight--);
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, unknown> | undefined;
      try {
        json = body ? (JSON.parse(body) as Record<string, unknown>) : undefined;
      } catch {
        json = undefined;
      }
      const path = req.url ?? '';
      state.requests.push({ method: req.method ?? '', path, headers: req.headers, body, json });
      const respond = () => route(req.method ?? '', path, body, json, res, req);
      if (state.latencyMs > 0) setTimeout(respond, state.latencyMs);
      else respond();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  function route(method: string, path: string, raw: string, json: Record<string, unknown> | undefined, res: ServerResponse, req: IncomingMessage): void {
    if (method === 'POST' && path === '/v1/chat/completions' && json) {
      const fault = state.fault(++chatCount, json);
      const messages = (json['messages'] as { content: string }[]) ?? [];
      const promptChars = messages.reduce((n, m) => n + m.content.length, 0);
      switch (fault) {
        case 'rate-limit':
          return send(res, 429, { error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' } }, { 'retry-after-ms': '5', 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '10ms' });
        case 'quota':
          return send(res, 429, { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } });
        case 'overloaded':
          return send(res, 503, { error: { message: 'The server is overloaded', type: 'server_error' } }, { 'retry-after': '0' });
        case 'server-error':
          return send(res, 500, { error: { message: 'Internal error', type: 'server_error' } });
        case 'unauthorized':
          return send(res, 401, { error: { message: `Incorrect API key provided: ${String(req.headers.authorization).slice(7)}`, type: 'invalid_request_error', code: 'invalid_api_key' } });
        case 'no-json-schema':
          if ((json['response_format'] as { type?: string } | undefined)?.type === 'json_schema') {
            return send(res, 400, { error: { message: "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.", type: 'invalid_request_error' } });
          }
          break;
        case 'reset':
          req.socket.destroy();
          return;
        case 'hang':
          return; // never answers: the client's timeout must fire
        case 'malformed':
          return send(res, 200, completion('Sure! {"evaluations": [{"label": "A", "correctness": ', { promptChars }));
        case 'truncated':
          return send(res, 200, completion(JSON.stringify(judge(messages.find((m, i) => i === 1)?.content ?? '')).slice(0, 60), { promptChars, finish: 'length' }));
        case 'refusal':
          return send(res, 200, completion(null, { promptChars, refusal: "I'm sorry, I can't help with that." }));
        default:
          break;
      }
      return send(res, 200, chatReply(json), { 'x-ratelimit-limit-tokens': '2000000', 'x-ratelimit-remaining-tokens': '1999000', 'x-ratelimit-reset-tokens': '1ms' });
    }
    if (method === 'POST' && path === '/v1/files') {
      const lines = raw.split(/\r?\n/).filter((l) => l.startsWith('{"custom_id"'));
      const id = `file-${files.size + 1}`;
      files.set(id, lines.join('\n'));
      return send(res, 200, { id, object: 'file', bytes: raw.length, created_at: 1, filename: 'rlaif-batch.jsonl', purpose: 'batch', status: 'processed' });
    }
    if (method === 'POST' && path === '/v1/batches' && json) {
      const id = `batch_${batches.size + 1}`;
      batches.set(id, { input: files.get(String(json['input_file_id'])) ?? '', polls: 0 });
      return send(res, 200, batchObject(id, 'validating'));
    }
    const batchMatch = /^\/v1\/batches\/([\w-]+)$/.exec(path);
    if (method === 'GET' && batchMatch) {
      const batch = batches.get(batchMatch[1] ?? '');
      if (!batch) return send(res, 404, { error: { message: 'No such batch' } });
      if (++batch.polls < 2) return send(res, 200, batchObject(batchMatch[1] ?? '', 'in_progress'));
      if (state.batchOutcome !== 'completed') return send(res, 200, batchObject(batchMatch[1] ?? '', state.batchOutcome));
      if (!batch.output) {
        batch.output = batch.input
          .split('\n')
          .map((line) => JSON.parse(line) as { custom_id: string; body: Record<string, unknown> })
          .map((item) => JSON.stringify({ id: 'r', custom_id: item.custom_id, response: { status_code: 200, request_id: 'x', body: chatReply(item.body) }, error: null }))
          .join('\n');
        files.set(`${batchMatch[1]}-out`, batch.output);
      }
      return send(res, 200, { ...batchObject(batchMatch[1] ?? '', 'completed'), output_file_id: `${batchMatch[1]}-out` });
    }
    const fileMatch = /^\/v1\/files\/([\w-]+)\/content$/.exec(path);
    if (method === 'GET' && fileMatch) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return void res.end(files.get(fileMatch[1] ?? '') ?? '');
    }
    send(res, 404, { error: { message: `no route ${method} ${path}` } });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (state as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return state;
}

function batchObject(id: string, status: string): Record<string, unknown> {
  return { id, object: 'batch', endpoint: '/v1/chat/completions', input_file_id: 'file-1', completion_window: '24h', status, created_at: 1, request_counts: { total: 0, completed: 0, failed: 0 } };
}
