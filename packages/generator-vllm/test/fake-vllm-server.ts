/**
 * A local HTTP server speaking vLLM's OpenAI-compatible wire format for what the generator uses:
 * `/v1/completions` with token-id prompts, `n`, `logprobs` and `return_tokens_as_token_ids`, and the
 * runtime LoRA endpoints with vLLM's success sentences and error bodies. Completions are drawn from a
 * seeded generator (not a model): token ids, their log-probs and finish reasons are deterministic per
 * seed, so tests can check every field end to end. Faults are injected per path.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** What to do with the next request to a path instead of answering it. */
export type Fault = { readonly status: number; readonly body: unknown } | 'drop' | 'hang';

export interface FakeVllmOptions {
  /** The served base model name. */
  readonly model?: string;
  /** VLLM_ALLOW_RUNTIME_LORA_UPDATING: without it the LoRA routes do not exist (404). */
  readonly runtimeLora?: boolean;
  /** --max-lora-rank. */
  readonly maxLoraRank?: number;
  /** Delay of each completion, in milliseconds. */
  readonly latencyMs?: number;
  /** The end-of-sequence token id. */
  readonly eosId?: number;
}

export interface FakeVllm {
  readonly url: string;
  /** Bodies of the requests received, by path. */
  readonly requests: { readonly path: string; readonly body: Record<string, unknown> }[];
  /** LoRA adapters loaded now, by name → path. */
  readonly adapters: Map<string, string>;
  /** Most completions in flight at once. */
  readonly maxInFlight: () => number;
  inject(pathname: string, ...faults: Fault[]): void;
  close(): Promise<void>;
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The sample the fake "model" draws for `seed`: what tests compare the generator's rollouts with. */
export function fakeSample(seed: number, maxTokens: number, eosId: number): { ids: number[]; logprobs: number[]; finish: 'stop' | 'length' } {
  const next = random(seed);
  const ids: number[] = [];
  const logprobs: number[] = [];
  while (ids.length < maxTokens) {
    const id = next() < 0.08 ? eosId : 3 + Math.floor(next() * 97);
    ids.push(id);
    logprobs.push(-(1 + (id % 7)) / 4);
    if (id === eosId) return { ids, logprobs, finish: 'stop' };
  }
  return { ids, logprobs, finish: 'length' };
}

const vllmError = (message: string, type: string, code: number) => ({ object: 'error', message, type, param: null, code });

export async function startFakeVllm(options: FakeVllmOptions = {}): Promise<FakeVllm> {
  const model = options.model ?? 'base-model';
  const eosId = options.eosId ?? 2;
  const requests: FakeVllm['requests'] = [];
  const adapters = new Map<string, string>();
  const faults = new Map<string, Fault[]>();
  let inFlight = 0;
  let maxInFlight = 0;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' });
    res.end(text);
  };

  const completions = async (body: Record<string, unknown>, res: ServerResponse) => {
    const name = body['model'];
    if (name !== model && !adapters.has(name as string)) return send(res, 404, vllmError(`The model \`${String(name)}\` does not exist.`, 'NotFoundError', 404));
    const prompt = body['prompt'];
    if (!Array.isArray(prompt) || !prompt.every((t) => Number.isInteger(t))) return send(res, 400, vllmError('prompt must be a list of token ids here', 'BadRequestError', 400));
    if (body['return_tokens_as_token_ids'] !== true || body['logprobs'] !== 0) return send(res, 400, vllmError('the fake expects logprobs: 0 and return_tokens_as_token_ids', 'BadRequestError', 400));
    const n = Number(body['n'] ?? 1);
    const maxTokens = Number(body['max_tokens'] ?? 16);
    const greedy = body['temperature'] === 0;
    const seed = Number(body['seed'] ?? 0);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, options.latencyMs ?? 0));
    inFlight -= 1;
    let completionTokens = 0;
    const choices = Array.from({ length: n }, (_, index) => {
      const sample = fakeSample(greedy ? seed : seed + index, maxTokens, eosId);
      completionTokens += sample.ids.length;
      const visible = sample.ids.filter((id) => id !== eosId);
      return {
        index,
        text: visible.map((id) => `t${id} `).join(''),
        logprobs: { text_offset: sample.ids.map((_, i) => i * 4), token_logprobs: sample.logprobs, tokens: sample.ids.map((id) => `token_id:${id}`), top_logprobs: sample.ids.map(() => null) },
        finish_reason: sample.finish,
        stop_reason: null,
        prompt_logprobs: null,
      };
    });
    send(res, 200, {
      id: `cmpl-${requests.length}`,
      object: 'text_completion',
      created: Math.floor(Date.now() / 1000),
      model: name,
      choices,
      usage: { prompt_tokens: prompt.length, total_tokens: prompt.length + completionTokens, completion_tokens: completionTokens, prompt_tokens_details: null },
    });
  };

  const loadLora = (body: Record<string, unknown>, res: ServerResponse) => {
    const name = body['lora_name'] as string | undefined;
    const loraPath = body['lora_path'] as string | undefined;
    if (!name || !loraPath) return send(res, 400, vllmError("Both 'lora_name' and 'lora_path' must be provided.", 'InvalidUserInput', 400));
    if (adapters.has(name)) return send(res, 400, vllmError(`The lora adapter '${name}' has already been loaded.`, 'InvalidUserInput', 400));
    const configFile = path.join(loraPath, 'adapter_config.json');
    if (!existsSync(configFile) || !existsSync(path.join(loraPath, 'adapter_model.safetensors'))) {
      return send(res, 404, vllmError(`Loading lora ${name} failed: No adapter found for ${loraPath}`, 'NotFoundError', 404));
    }
    const rank = (JSON.parse(readFileSync(configFile, 'utf8')) as { r: number }).r;
    const maxRank = options.maxLoraRank ?? 16;
    if (rank > maxRank) return send(res, 400, vllmError(`LoRA rank ${rank} is greater than max_lora_rank ${maxRank}.`, 'BadRequestError', 400));
    adapters.set(name, loraPath);
    send(res, 200, `Success: LoRA adapter '${name}' added successfully.`);
  };

  const unloadLora = (body: Record<string, unknown>, res: ServerResponse) => {
    const name = body['lora_name'] as string | undefined;
    if (!name) return send(res, 400, vllmError("either 'lora_name' and 'lora_int_id' needs to be provided.", 'InvalidUserInput', 400));
    if (!adapters.delete(name)) return send(res, 404, vllmError(`The lora adapter '${name}' cannot be found.`, 'NotFoundError', 404));
    send(res, 200, `Success: LoRA adapter '${name}' removed successfully.`);
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const pathname = new URL(req.url ?? '/', 'http://x').pathname;
      let body: Record<string, unknown> = {};
      try {
        body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        return send(res, 400, vllmError('invalid JSON', 'BadRequestError', 400));
      }
      requests.push({ path: pathname, body });
      const fault = faults.get(pathname)?.shift();
      if (fault === 'drop') return req.socket.destroy();
      if (fault === 'hang') return;
      if (fault) return send(res, fault.status, fault.body);
      if (req.method !== 'POST') return send(res, 405, { detail: 'Method Not Allowed' });
      if (pathname === '/v1/completions') return void completions(body, res);
      const lora = pathname === '/v1/load_lora_adapter' ? loadLora : pathname === '/v1/unload_lora_adapter' ? unloadLora : undefined;
      // Without VLLM_ALLOW_RUNTIME_LORA_UPDATING the routes are not registered: FastAPI's 404.
      if (lora && options.runtimeLora !== false) return lora(body, res);
      send(res, 404, { detail: 'Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    adapters,
    maxInFlight: () => maxInFlight,
    inject: (pathname, ...list) => faults.set(pathname, [...(faults.get(pathname) ?? []), ...list]),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
