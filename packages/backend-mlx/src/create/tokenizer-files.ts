/**
 * The JSON of a byte-level BPE tokenizer in the `tokenizers` library's format (tokenizer.json) and
 * its transformers companion (tokenizer_config.json with special tokens and the chat template).
 */
import type { BpeVocabulary } from './bpe-trainer.js';
import { SPLIT_PATTERN } from './byte-level.js';

/** The special tokens every created tokenizer carries, in id order after the BPE vocabulary. */
export const SPECIAL_TOKENS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'] as const;

/** A minimal ChatML template: `<|im_start|>role\ncontent<|im_end|>\n` per message. */
export const CHATML_TEMPLATE =
  "{%- for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}{%- endfor %}" +
  "{%- if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{%- endif %}";

/** Ids of the special tokens in a tokenizer built from `vocabulary`. */
export function specialTokenIds(vocabulary: BpeVocabulary): Record<(typeof SPECIAL_TOKENS)[number], number> {
  const base = vocabulary.tokens.length;
  return { '<|endoftext|>': base, '<|im_start|>': base + 1, '<|im_end|>': base + 2 };
}

/** Number of ids the tokenizer produces: the BPE vocabulary plus the special tokens. */
export function tokenizerSize(vocabulary: BpeVocabulary): number {
  return vocabulary.tokens.length + SPECIAL_TOKENS.length;
}

function addedTokens(vocabulary: BpeVocabulary) {
  return SPECIAL_TOKENS.map((content, i) => ({
    id: vocabulary.tokens.length + i,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
}

/** tokenizer.json: BPE model over byte-level characters with Qwen2's normalizer, pre-tokenizer and decoder. */
export function tokenizerJson(vocabulary: BpeVocabulary): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  vocabulary.tokens.forEach((token, id) => (vocab[token] = id));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens(vocabulary),
    normalizer: { type: 'NFC' },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: SPLIT_PATTERN }, behavior: 'Isolated', invert: false },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
      ],
    },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: vocabulary.merges.map(([left, right]) => [left, right]),
    },
  };
}

/** tokenizer_config.json: EOS `<|im_end|>` (ends an assistant turn), pad `<|endoftext|>`, no BOS. */
export function tokenizerConfigJson(vocabulary: BpeVocabulary, chatTemplate: string, modelMaxLength: number): Record<string, unknown> {
  const decoder: Record<string, unknown> = {};
  for (const { id, ...token } of addedTokens(vocabulary)) decoder[String(id)] = token;
  return {
    tokenizer_class: 'Qwen2Tokenizer',
    added_tokens_decoder: decoder,
    bos_token: null,
    eos_token: '<|im_end|>',
    pad_token: '<|endoftext|>',
    unk_token: null,
    additional_special_tokens: ['<|im_start|>', '<|im_end|>'],
    clean_up_tokenization_spaces: false,
    model_max_length: modelMaxLength,
    chat_template: chatTemplate,
  };
}
