/** The vLLM generator against local servers speaking vLLM's wire format, with faults injected. */
import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SamplingParams } from '@rlaif/core';
import { ConfigError } from '@rlaif/core';
import { sampleTask, temporaryPluginContext } from '@rlaif/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { vllm } from '../src/index.js';
import { BINDING, boundVllm, promptIds, savedAdapter } from './bound.js';
import { fakeSample, startFakeVllm, type FakeVllm } from './fake-vllm-server.js';

const sampling: SamplingParams = { temperature: 0.8, topP: 0.9, topK: 20, minP: 0.05, maxNewTokens: 12, stop: ['\n\n'], seed: 4 };
const tasks = [sampleTask(), sampleTask({ id: 'second' }), sampleTask({ id: 'third' })];

let servers: FakeVllm[] = [];
async function start(...options: Parameters<typeof startFakeVllm>): Promise<FakeVllm> {
  const server = await startFakeVllm(...options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  for (const server of servers) await server.close();
  servers = [];
});

describe('vllm generator', () => {
  it('sends token-id prompts with the sampling settings and returns the server\'s ids and log-probs, token in and token out', async () => {
    const server = await start();
    const generator = await boundVllm({ baseURLs: [server.url] });
    const result = await generator.generate(tasks, 3, sampling);
    const calls = server.requests.filter((r) => r.path === '/v1/completions');
    expect(calls).toHaveLength(3);
    const body = calls.find((c) => JSON.stringify(c.body['prompt']) === JSON.stringify(promptIds(tasks[1]!)))!.body;
    expect(body).toMatchObject({ model: 'policy-v0', n: 3, max_tokens: 12, temperature: 0.8, top_p: 0.9, top_k: 20, min_p: 0.05, stop: ['\n\n'], logprobs: 0, return_tokens_as_token_ids: true });
    result.groups.forEach((group, t) => {
      const request = calls.find((c) => JSON.stringify(c.body['prompt']) === JSON.stringify(promptIds(tasks[t]!)))!.body;
      group.forEach((rollout, i) => {
        const expected = fakeSample(Number(request['seed']) + i, 12, 2);
        expect(rollout.promptTokens).toEqual(promptIds(tasks[t]!));
        expect(rollout.completionTokens).toEqual(expected.ids);
        expect(rollout.behaviourLogprobs).toEqual(expected.logprobs);
        expect(rollout.finishReason).toBe(expected.finish === 'stop' ? 'eos' : 'length');
        expect(rollout.policyVersion).toBe(0);
        expect(rollout.samplingTemperature).toBe(0.8);
      });
    });
    expect(result.completionTokens).toBe(result.groups.flat().reduce((s, r) => s + r.completionTokens.length, 0));
  });

  it('caps each task\'s max_tokens at model.maxLength − its prompt, and refuses a prompt that leaves no room before sending anything', async () => {
    const server = await start();
    const maxLength = 11;
    const generator = await boundVllm({ baseURLs: [server.url] }, { ...BINDING, model: { ...BINDING.model, maxLength } });
    await generator.generate(tasks, 1, sampling);
    for (const task of tasks) {
      const call = server.requests.find((r) => r.path === '/v1/completions' && JSON.stringify(r.body['prompt']) === JSON.stringify(promptIds(task)))!;
      expect(call.body['max_tokens']).toBe(Math.min(sampling.maxNewTokens, maxLength - promptIds(task).length));
    }
    const sent = server.requests.length;
    await expect(generator.generate([sampleTask({ id: 'a-task-id-of-eleven+' })], 1, sampling)).rejects.toThrow(/model\.maxLength/);
    expect(server.requests.length).toBe(sent);
  });

  it('loads each policy version on every server as policy-v{k}, unloads the previous one, and samples from it', async () => {
    const [a, b] = [await start(), await start()];
    const shared = await mkdtemp(path.join(os.tmpdir(), 'rlaif-vllm-shared-'));
    const generator = await boundVllm({ baseURLs: [a.url, b.url], adapterDir: shared });
    for (const server of [a, b]) expect([...server.adapters.keys()]).toEqual(['policy-v0']);
    await generator.syncPolicy!(await savedAdapter(), 3);
    for (const server of [a, b]) {
      expect([...server.adapters.entries()]).toEqual([['policy-v3', path.join(shared, 'policy-v3')]]);
      expect(server.requests.filter((r) => r.path.includes('lora')).map((r) => [r.path, r.body['lora_name']])).toEqual([
        ['/v1/load_lora_adapter', 'policy-v0'],
        ['/v1/load_lora_adapter', 'policy-v3'],
        ['/v1/unload_lora_adapter', 'policy-v0'],
      ]);
    }
    // Only the PEFT files of the loaded version are published for the servers.
    expect(await readdir(shared)).toEqual(['policy-v3']);
    expect((await readdir(path.join(shared, 'policy-v3'))).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
    const { groups } = await generator.generate(tasks, 2, sampling);
    expect(groups.flat().map((r) => r.policyVersion)).toEqual(Array(6).fill(3));
    // Balanced: both servers sampled.
    for (const server of [a, b]) expect(server.requests.filter((r) => r.path === '/v1/completions' && r.body['model'] === 'policy-v3').length).toBeGreaterThan(0);
  });

  it('reloads a name a server kept from an earlier run of the same directory', async () => {
    const server = await start();
    const generator = vllm({ baseURLs: [server.url] });
    await generator.bindPolicy!(BINDING);
    server.adapters.set('policy-v0', '/elsewhere');
    await generator.syncPolicy!(await savedAdapter(), 0);
    expect(server.adapters.get('policy-v0')).not.toBe('/elsewhere');
  });

  it('refuses full fine-tuning and servers that cannot hot-load adapters with a config error naming the alternative', async () => {
    const generator = vllm({ baseURLs: ['http://127.0.0.1:9'] });
    const full = generator.bindPolicy!({ ...BINDING, lora: undefined });
    await expect(full).rejects.toThrow(ConfigError);
    await expect(full).rejects.toThrow(/generator: vLLM cannot load fully fine-tuned weights.*generator-llamacpp/s);

    const fixed = await start({ runtimeLora: false });
    const noRuntime = vllm({ baseURLs: [fixed.url] });
    await noRuntime.bindPolicy!(BINDING);
    const sync = noRuntime.syncPolicy!(await savedAdapter(), 0);
    await expect(sync).rejects.toThrow(ConfigError);
    await expect(sync).rejects.toThrow(/cannot load LoRA adapters at run time.*VLLM_ALLOW_RUNTIME_LORA_UPDATING=True.*--enable-lora.*--max-lora-rank/s);
  });

  it('passes on the server\'s own errors: a rank above --max-lora-rank, an adapter path it cannot read', async () => {
    const server = await start({ maxLoraRank: 8 });
    const generator = vllm({ baseURLs: [server.url] });
    await generator.bindPolicy!(BINDING);
    await expect(generator.syncPolicy!(await savedAdapter(64), 0)).rejects.toThrow(/LoRA rank 64 is greater than max_lora_rank 8.*--max-lora-rank/s);
    const gone = path.join(os.tmpdir(), 'rlaif-vllm-missing-adapter');
    await expect(generator.syncPolicy!(gone, 1)).rejects.toThrow(/cannot read the adapter at .*No adapter found.*generator.adapterDir/s);
  });

  it('retries a failed, dropped or hung request on the other server, and stops at once on a bad request', async () => {
    const [a, b] = [await start(), await start()];
    const generator = await boundVllm({ baseURLs: [a.url, b.url], timeoutMs: 300, maxConcurrency: 1 });
    for (const server of [a, b]) server.inject('/v1/completions', { status: 503, body: { object: 'error', message: 'overloaded', type: 'ServiceUnavailable', param: null, code: 503 } }, 'drop', 'hang');
    const { groups } = await generator.generate(tasks, 2, sampling);
    expect(groups.map((g) => g.length)).toEqual([2, 2, 2]);
    a.inject('/v1/completions', { status: 400, body: { object: 'error', message: "This model's maximum context length is 32 tokens.", type: 'BadRequestError', param: null, code: 400 } });
    b.inject('/v1/completions', { status: 400, body: { object: 'error', message: "This model's maximum context length is 32 tokens.", type: 'BadRequestError', param: null, code: 400 } });
    await expect(generator.generate(tasks.slice(0, 1), 2, sampling)).rejects.toThrow(/answered 400: This model's maximum context length is 32 tokens/);
  });

  it('gives up after maxRetries with what went wrong, and holds requests back beyond maxConcurrency per server', async () => {
    const down = await start();
    const generator = await boundVllm({ baseURLs: [down.url], maxRetries: 2 });
    down.inject('/v1/completions', ...Array(3).fill({ status: 502, body: 'Bad Gateway' }));
    await expect(generator.generate(tasks.slice(0, 1), 1, sampling)).rejects.toThrow(/failed after 3 attempts: .*502: Bad Gateway.*generator.baseURLs/s);

    const [a, b] = [await start({ latencyMs: 30 }), await start({ latencyMs: 30 })];
    const limited = await boundVllm({ baseURLs: [a.url, b.url], maxConcurrency: 1 });
    const many = Array.from({ length: 8 }, (_, i) => sampleTask({ id: `task-${i}` }));
    await limited.generate(many, 1, sampling);
    expect([a.maxInFlight(), b.maxInFlight()]).toEqual([1, 1]);
  });

  it('checks its settings', async () => {
    expect(() => vllm({ baseURLs: ['gpu1:8000'] })).toThrow(/generator.baseURLs: "gpu1:8000" is not an http\(s\) URL/);
    expect(() => vllm({ maxConcurrency: 0 })).toThrow(/generator.maxConcurrency/);
    const unbound = vllm();
    await unbound.setup?.(await temporaryPluginContext());
    await expect(unbound.generate(tasks, 1, sampling)).rejects.toThrow(/no policy loaded yet/);
  });
});
