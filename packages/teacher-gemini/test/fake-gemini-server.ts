/**
 * A local stand-in for generativelanguage.googleapis.com speaking the generateContent wire protocol,
 * judging deterministically and injecting faults on demand. Test-only.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Fault = 'rate-limit' | 'unavailable' | 'reset' | 'hang' | 'malformed' | 'truncated' | 'safety' | 'bad-key';

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly json: Record<string, unknown> | undefined;
}

export interface FakeGemini {
  readonly url: string;
  readonly requests: RecordedRequest[];
  fault: (count: number) => Fault | undefined;
  close(): Promise<void>;
}

interface Body {
  contents: { role: string; parts: { text: string }[] }[];
  generationConfig?: { responseMimeType?: string };
}

function judge(userPrompt: string): { evaluations: unknown[] } {
  const evaluations = [...userPrompt.matchAll(/Submission ([A-Z]+):\n(`{3,})\w*\n([\s\S]*?)\n\2/g)].map((m) => {
    const score = (m[3] ?? '').includes('good') ? 9 : 3;
    const c = { score, rationale: score === 9 ? 'solid' : 'weak' };
    return { label: m[1], correctness: c, quality: c, efficiency: c, documentation: c };
  });
  return { evaluations };
}

function generated(text: string | undefined, finishReason: string): Record<string, unknown> {
  return {
    candidates: [{ content: text === undefined ? undefined : { role: 'model', parts: [{ text }] }, finishReason, index: 0 }],
    usageMetadata: { promptTokenCount: 1000, candidatesTokenCount: 150, thoughtsTokenCount: 50, cachedContentTokenCount: 200, totalTokenCount: 1200 },
    modelVersion: 'gemini-2.5-flash',
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

export async function startFakeGemini(): Promise<FakeGemini> {
  let count = 0;
  const sockets = new Set<Socket>();
  const state: FakeGemini = {
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
      const path = req.url ?? '';
      state.requests.push({ method: req.method ?? '', path, headers: req.headers, json });
      if (req.method !== 'POST' || !/^\/v1beta\/models\/[\w.-]+:generateContent$/.test(path) || !json) {
        return send(res, 404, { error: { code: 404, message: `no route ${path}`, status: 'NOT_FOUND' } });
      }
      const body = json as unknown as Body;
      const user = body.contents[0]?.parts[0]?.text ?? '';
      switch (state.fault(++count)) {
        case 'rate-limit':
          return send(res, 429, {
            error: {
              code: 429,
              message: 'You exceeded your current quota, please check your plan.',
              status: 'RESOURCE_EXHAUSTED',
              details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '0.01s' }],
            },
          });
        case 'unavailable':
          return send(res, 503, { error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } });
        case 'bad-key':
          return send(res, 400, { error: { code: 400, message: `API key not valid: ${String(req.headers['x-goog-api-key'])}`, status: 'INVALID_ARGUMENT' } });
        case 'reset':
          return void req.socket.destroy();
        case 'hang':
          return;
        case 'malformed':
          return send(res, 200, generated('```json\n{"evaluations": [{"label": "A", "correctness": {"score": "high"', 'STOP'));
        case 'truncated':
          return send(res, 200, generated('{"evaluations": [{"label": "A", "corr', 'MAX_TOKENS'));
        case 'safety':
          return send(res, 200, generated(undefined, 'SAFETY'));
        default:
          if (body.generationConfig?.responseMimeType !== 'application/json') return send(res, 200, generated('```cpp\nint add(int a, int b) { return a + b; }\n```', 'STOP'));
          return send(res, 200, generated(JSON.stringify(judge(user)), 'STOP'));
      }
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
