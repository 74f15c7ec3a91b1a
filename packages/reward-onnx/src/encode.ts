/** Text to token ids for the reward model, cut to `maxLength` the way transformers' tokenizers truncate. */
import { ConfigError } from '@rlaif/core';
import type { Tokenizer } from '@rlaif/hf';
import type { ResolvedSettings, TruncationSide } from './settings.js';

/** The chat-templated or raw text the reward model reads for one sample. */
export function rewardText(tokenizer: Tokenizer, prompt: string, completion: string, input: ResolvedSettings['input']): { text: string; templated: boolean } {
  if (input === 'completion') return { text: completion, templated: false };
  if (tokenizer.chatTemplate === undefined) return { text: prompt + completion, templated: false };
  return { text: tokenizer.applyChatTemplate([{ role: 'user', content: prompt }], { addGenerationPrompt: true }) + completion, templated: true };
}

export interface EncodeOptions {
  readonly maxLength: number;
  readonly truncation: TruncationSide;
  /** Add the post-processor's special tokens ([CLS] … [SEP]); false for chat-templated text, whose template writes them. */
  readonly addSpecialTokens: boolean;
  /** Where the settings sit, for the error on a too-long text. */
  readonly keyPath: string;
}

/** Token ids of `text`, at most `maxLength` of them; special tokens are kept when content is cut. */
export function encodeForReward(tokenizer: Tokenizer, text: string, options: EncodeOptions): { ids: number[]; truncated: boolean } {
  const ids = tokenizer.encode(text, { addSpecialTokens: options.addSpecialTokens });
  if (ids.length <= options.maxLength) return { ids, truncated: false };
  if (options.truncation === 'error') {
    throw new ConfigError(`a text of ${ids.length} tokens is longer than maxLength ${options.maxLength}`, `${options.keyPath}.maxLength`, undefined, {
      hint: "raise maxLength (up to the model's max_position_embeddings), lower rlaif.maxNewTokens, or set truncation: 'left' or 'right'",
    });
  }
  const content = options.addSpecialTokens ? tokenizer.encode(text, { addSpecialTokens: false }) : ids;
  const { prefix, suffix } = specialsAround(ids, content);
  const room = options.maxLength - prefix.length - suffix.length;
  if (room <= 0) {
    throw new ConfigError(`maxLength ${options.maxLength} leaves no room for text beside ${prefix.length + suffix.length} special tokens`, `${options.keyPath}.maxLength`, undefined, {
      hint: 'raise maxLength',
    });
  }
  const kept = options.truncation === 'left' ? content.slice(content.length - room) : content.slice(0, room);
  return { ids: [...prefix, ...kept, ...suffix], truncated: true };
}

// The post-processor wraps the content ids (e.g. [CLS] ids [SEP]); find the wrapping to put it back after the cut.
function specialsAround(withSpecials: readonly number[], content: readonly number[]): { prefix: number[]; suffix: number[] } {
  const extra = withSpecials.length - content.length;
  for (let start = 0; start <= extra; start++) {
    if (content.every((id, i) => withSpecials[start + i] === id)) {
      return { prefix: withSpecials.slice(0, start), suffix: withSpecials.slice(start + content.length) };
    }
  }
  // A post-processor that changes the content itself: cut the ids as they are.
  return { prefix: [], suffix: [] };
}
