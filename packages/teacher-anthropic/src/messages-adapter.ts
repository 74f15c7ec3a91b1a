/** The Anthropic provider adapter: one Messages API call per kit request. */
import type Anthropic from '@anthropic-ai/sdk';
import type { ProviderAdapter, ProviderRequest, ProviderResponse } from '@rlaif/core';
import { headerRecord } from '@rlaif/core';
import { toTeacherError } from './anthropic-errors.js';
import { fromMessage, messagesParams } from './messages-request.js';

export class MessagesAdapter implements ProviderAdapter {
  readonly provider = 'anthropic';

  constructor(
    private readonly client: () => Anthropic,
    readonly model: string,
    readonly promptCaching: boolean,
    private readonly secrets: readonly (string | undefined)[],
  ) {}

  async complete(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResponse> {
    try {
      const { data, response } = await this.client()
        .messages.create(messagesParams(request, this.model, this.promptCaching), { signal })
        .withResponse();
      return fromMessage(data, headerRecord(response.headers));
    } catch (error) {
      throw toTeacherError(error, this.secrets);
    }
  }
}
