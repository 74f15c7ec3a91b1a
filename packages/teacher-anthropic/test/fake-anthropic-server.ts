/**
 * A local stand-in for api.anthropic.com speaking the Messages and Message Batches wire protocol,
 * judging deterministically and injecting faults on demand. Test-only.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault = 'rate-limit' | 'overloaded' | 'reset' | 'hang' | 'malformed' | 'truncated' | 'refusal' | 'unauthorized' | 'billing';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly json: Record<string, unknown> | undefined;
}

export interface FakeAnthropic {
  readonly url: string;
  readonly requests: RecordedRequest[];
  fault: (count: number) => Fault | undefined;
  close(): Promise<void>;
}

interface Params {
  messages: { role: string; content: string }[];
  tools?: { name: string }[];
}

/** Score 9 for code containing `good`, 3 otherwise. */
function judge(userPrompt: string): { evaluations: unknown[] } {
  const evaluations = [...userPrompt.matchAll(/Submission ([A-Z]+):\n(`{3,})\w*\n([\s\S]*?)\n\2/g)].map((m) => {
    const score = (m[3] ?? '').includes('good') ? 9 : 3;
    const c = { score, rationale: score === 9 ? 'solid' : 'weak' };
    return { label: m[1], correctness: c, quality: c, efficiency: c, documentation: c };
  });
  return { evaluations };
}

function message(content: unknown[], stop: string, inputTokens = 500): Record<string, unknown> {
  return {
    id: 'msg_test',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-6',
    content,
    stop_reason: stop,
    stop_sequence: null,
    usage: { input_tokens: inputTokens, output_tokens: 200, cache_read_input_tokens: 300, cache_creation_input_tokens: 0 },
  };
}

/** The fake model's reply to Messages params (no faults). */
function reply(params: Params): Record<string, unknown> {
  const user = params.messages[0]?.content ?? '';
  if (!params.tools) return message([{ type: 'text', text: '```python\ndef solve(a, b):\n    return a + b\n```' }], 'end_turn');
  return message([{ type: 'tool_use', id: 'toolu_1', name: params.tools[0]?.name, input: judge(user) }], 'tool_use');
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_test', ...headers });
  res.end(JSON.stringify(body));
}

const error = (type: string, messageText: string) => ({ type: 'error', error: { type, message: messageText } });

export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  let count = 0;
  const batches = new Map<string, { requests: { custom_id: string; params: Params }[]; polls: number }>();
  const sockets = new Set<Socket>();
  const state: FakeAnthropic = {
    url: '',
    requests: [],
    fault: () => undefined,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const json = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      const method = req.method ?? '';
      const path = req.url ?? '';
      state.requests.push({ method, path, headers: req.headers, json });
      if (method === 'POST' && path === '/v1/messages' && json) {
        const params = json as unknown as Params;
        switch (state.fault(++count)) {
          case 'rate-limit':
            return send(res, 429, error('rate_limit_error', 'Number of request tokens has exceeded your per-minute rate limit'), {
              'retry-after': new Date(Date.now() - 1000).toUTCString(),
              'anthropic-ratelimit-input-tokens-remaining': '0',
              'anthropic-ratelimit-input-tokens-reset': new Date(Date.now() + 20).toISOString(),
            });
          case 'overloaded':
            return send(res, 529, error('overloaded_error', 'Overloaded'));
          case 'unauthorized':
            return send(res, 401, error('authentication_error', `invalid x-api-key ${String(req.headers['x-api-key'] ?? req.headers.authorization)}`));
          case 'billing':
            return send(res, 400, error('billing_error', 'Your credit balance is too low to access the Anthropic API.'));
          case 'reset':
            return void req.socket.destroy();
          case 'hang':
            return;
          case 'malformed':
            return send(res, 200, message([{ type: 'tool_use', id: 'toolu_1', name: 'submit_evaluations', input: { evaluations: 'see above' } }], 'tool_use'));
          case 'truncated':
            return send(res, 200, message([{ type: 'text', text: '{"evaluations": [{"label": "A", "corr' }], 'max_tokens'));
          case 'refusal':
            return send(res, 200, message([{ type: 'text', text: 'I cannot help with this request.' }], 'refusal'));
          default:
            return send(res, 200, reply(params), {
              'anthropic-ratelimit-input-tokens-limit': '400000',
              'anthropic-ratelimit-input-tokens-remaining': '399000',
              'anthropic-ratelimit-input-tokens-reset': new Date(Date.now() + 60_000).toISOString(),
            });
        }
      }
      if (method === 'POST' && path === '/v1/messages/batches' && json) {
        const id = `msgbatch_${batches.size + 1}`;
        batches.set(id, { requests: json['requests'] as { custom_id: string; params: Params }[], polls: 0 });
        return send(res, 200, batchObject(id, 'in_progress'));
      }
      const results = /^\/v1\/messages\/batches\/(\w+)\/results$/.exec(path);
      if (method === 'GET' && results) {
        const batch = batches.get(results[1] ?? '');
        res.writeHead(200, { 'content-type': 'application/binary' });
        const lines = (batch?.requests ?? []).map((r, i) =>
          JSON.stringify({ custom_id: r.custom_id, result: i === 1 ? { type: 'errored', error: error('api_error', 'boom') } : { type: 'succeeded', message: reply(r.params) } }),
        );
        return void res.end(lines.join('\n'));
      }
      const retrieve = /^\/v1\/messages\/batches\/(\w+)$/.exec(path);
      if (method === 'GET' && retrieve) {
        const id = retrieve[1] ?? '';
        const batch = batches.get(id);
        if (!batch) return send(res, 404, error('not_found_error', 'no batch'));
        const ended = ++batch.polls >= 2;
        return send(res, 200, { ...batchObject(id, ended ? 'ended' : 'in_progress'), results_url: ended ? `${state.url}/v1/messages/batches/${id}/results` : null });
      }
      send(res, 404, error('not_found_error', `no route ${method} ${path}`));
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (state as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

function batchObject(id: string, status: string): Record<string, unknown> {
  return {
    id,
    type: 'message_batch',
    processing_status: status,
    request_counts: { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
    created_at: new Date().toISOString(),
    expires_at: new Date().toISOString(),
    ended_at: null,
    archived_at: null,
    cancel_initiated_at: null,
    results_url: null,
  };
}
