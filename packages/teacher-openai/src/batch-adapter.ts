/**
 * OpenAI Batch API support: the requests go up as a JSONL file (`purpose: batch`), a batch runs
 * them against /v1/chat/completions within 24 h at half price, and the output file is read back.
 */
import type OpenAI from 'openai';
import { toFile } from 'openai';
import type { BatchAdapter, BatchItem, BatchStatus, ProviderResponse } from '@rlaif/core';
import { TeacherError } from '@rlaif/core';
import type { ChatAdapter } from './chat-adapter.js';
import type { ChatCompletionLike } from './chat-request.js';
import { fromChatCompletion } from './chat-request.js';
import { toTeacherError } from './openai-errors.js';

const RUNNING = new Set(['validating', 'in_progress', 'finalizing', 'cancelling']);

interface OutputLine {
  custom_id?: string;
  response?: { status_code?: number; body?: ChatCompletionLike } | null;
  error?: { code?: string; message?: string } | null;
}

export class OpenAIBatchAdapter implements BatchAdapter {
  readonly provider = 'openai';

  constructor(
    private readonly client: () => OpenAI,
    private readonly chat: ChatAdapter,
    private readonly secrets: readonly (string | undefined)[],
  ) {}

  get model(): string {
    return this.chat.model;
  }

  async submit(items: readonly BatchItem[], signal: AbortSignal): Promise<string> {
    const jsonl = items.map((item) => JSON.stringify({ custom_id: item.customId, method: 'POST', url: '/v1/chat/completions', body: this.chat.bodyFor(item.request) })).join('\n');
    return this.call(signal, async () => {
      const file = await this.client().files.create({ file: await toFile(Buffer.from(`${jsonl}\n`), 'rlaif-batch.jsonl'), purpose: 'batch' }, { signal });
      const batch = await this.client().batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' }, { signal });
      return batch.id;
    });
  }

  async poll(batchId: string, signal: AbortSignal): Promise<BatchStatus> {
    const batch = await this.call(signal, () => this.client().batches.retrieve(batchId, { signal }));
    if (batch.status === 'completed') return 'ended';
    return RUNNING.has(batch.status) ? 'running' : 'failed';
  }

  async results(batchId: string, signal: AbortSignal): Promise<ReadonlyMap<string, ProviderResponse | Error>> {
    const batch = await this.call(signal, () => this.client().batches.retrieve(batchId, { signal }));
    const out = new Map<string, ProviderResponse | Error>();
    for (const fileId of [batch.output_file_id, batch.error_file_id]) {
      if (!fileId) continue;
      const text = await this.call(signal, async () => (await this.client().files.content(fileId, { signal })).text());
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        const parsed = JSON.parse(line) as OutputLine;
        if (!parsed.custom_id) continue;
        const status = parsed.response?.status_code ?? 0;
        if (parsed.response?.body && status >= 200 && status < 300) out.set(parsed.custom_id, fromChatCompletion(parsed.response.body));
        else out.set(parsed.custom_id, new Error(parsed.error?.message ?? `batch item failed with HTTP ${status}`));
      }
    }
    return out;
  }

  private async call<T>(signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      signal.throwIfAborted();
      const mapped = toTeacherError(error, this.secrets);
      throw mapped instanceof TeacherError ? mapped : error;
    }
  }
}
