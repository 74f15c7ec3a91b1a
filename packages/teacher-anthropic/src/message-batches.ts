/**
 * Anthropic Message Batches: up to 100k requests processed asynchronously within 24 h at half
 * price. Results stream back as JSONL keyed by custom_id.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { BatchAdapter, BatchItem, BatchStatus, ProviderResponse } from '@rlaif/core';
import { TeacherError } from '@rlaif/core';
import { toTeacherError } from './anthropic-errors.js';
import type { MessageLike } from './messages-request.js';
import { fromMessage, messagesParams } from './messages-request.js';

export class MessageBatchesAdapter implements BatchAdapter {
  readonly provider = 'anthropic';

  constructor(
    private readonly client: () => Anthropic,
    readonly model: string,
    private readonly promptCaching: boolean,
    private readonly secrets: readonly (string | undefined)[],
  ) {}

  async submit(items: readonly BatchItem[], signal: AbortSignal): Promise<string> {
    const requests = items.map((item) => ({ custom_id: item.customId, params: messagesParams(item.request, this.model, this.promptCaching) }));
    const batch = await this.call(signal, () => this.client().messages.batches.create({ requests }, { signal }));
    return batch.id;
  }

  async poll(batchId: string, signal: AbortSignal): Promise<BatchStatus> {
    const batch = await this.call(signal, () => this.client().messages.batches.retrieve(batchId, {}, { signal }));
    return batch.processing_status === 'ended' ? 'ended' : 'running';
  }

  async results(batchId: string, signal: AbortSignal): Promise<ReadonlyMap<string, ProviderResponse | Error>> {
    const out = new Map<string, ProviderResponse | Error>();
    await this.call(signal, async () => {
      for await (const line of await this.client().messages.batches.results(batchId, {}, { signal })) {
        if (line.result.type === 'succeeded') out.set(line.custom_id, fromMessage(line.result.message as MessageLike));
        else out.set(line.custom_id, new Error(`batch item ${line.result.type}`));
      }
    });
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
