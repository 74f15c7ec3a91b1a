import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataError } from '@rlaif/core';
import { Template } from '@huggingface/jinja';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { fileExists, readJsonObject, readOptionalJsonObject, type JsonObject } from './json-file.js';

/** One chat turn, as chat templates expect it. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant' | 'tool' | (string & {});
  readonly content: string;
}

/** Options of `applyChatTemplate`. */
export interface ChatTemplateOptions {
  /** Append the assistant turn header so the model continues as the assistant. */
  readonly addGenerationPrompt?: boolean;
  /** Extra variables passed to the template (tools, enable_thinking, …). */
  readonly variables?: Readonly<Record<string, unknown>>;
}

/**
 * A Hugging Face tokenizer (tokenizer.json + tokenizer_config.json) with its chat template.
 * Token ids go in and out unchanged: decode never re-encodes.
 */
export class Tokenizer {
  /** End-of-sequence token text (tokenizer_config `eos_token`), if any. */
  readonly eosToken: string | undefined;
  /** Id of `eosToken`, if it is in the vocabulary. */
  readonly eosTokenId: number | undefined;
  readonly bosToken: string | undefined;
  readonly bosTokenId: number | undefined;
  /** Padding token text; falls back to the EOS token like transformers' pipelines do. */
  readonly padToken: string | undefined;
  readonly padTokenId: number | undefined;
  /** The Jinja chat template source, if the model has one. */
  readonly chatTemplate: string | undefined;
  private readonly compiledTemplate: Template | undefined;

  private constructor(
    /** The tokenizer.json this was built from. */
    readonly file: string,
    private readonly inner: HfTokenizer,
    private readonly config: JsonObject,
    chatTemplate: string | undefined,
    private readonly templateFile: string,
  ) {
    this.eosToken = tokenText(config['eos_token']);
    this.bosToken = tokenText(config['bos_token']);
    this.padToken = tokenText(config['pad_token']) ?? this.eosToken;
    this.eosTokenId = this.tokenToId(this.eosToken);
    this.bosTokenId = this.tokenToId(this.bosToken);
    this.padTokenId = this.tokenToId(this.padToken);
    this.chatTemplate = chatTemplate;
    this.compiledTemplate = chatTemplate === undefined ? undefined : compileTemplate(chatTemplate, templateFile);
  }

  /** Loads tokenizer.json, tokenizer_config.json and chat_template.jinja (which wins over the config's template) from `dir`. */
  static async fromDirectory(dir: string): Promise<Tokenizer> {
    const tokenizerFile = join(dir, 'tokenizer.json');
    const configFile = join(dir, 'tokenizer_config.json');
    const json = await readJsonObject(tokenizerFile);
    const config = (await readOptionalJsonObject(configFile)) ?? {};
    const jinjaFile = join(dir, 'chat_template.jinja');
    let template: string | undefined;
    let templateFile = configFile;
    if (await fileExists(jinjaFile)) {
      template = await readFile(jinjaFile, 'utf8');
      templateFile = jinjaFile;
    } else {
      template = pickChatTemplate(config['chat_template'], configFile);
    }
    let inner: HfTokenizer;
    try {
      inner = new HfTokenizer(json, config);
    } catch (cause) {
      throw new DataError(`cannot build the tokenizer: ${(cause as Error).message}`, tokenizerFile, undefined, {
        hint: 'the tokenizer type may be unsupported by @huggingface/tokenizers; check the file or download it again',
        cause,
      });
    }
    return new Tokenizer(tokenizerFile, inner, config, template, templateFile);
  }

  /** Number of ids the tokenizer can produce (vocabulary plus added tokens). */
  get vocabSize(): number {
    return this.inner.get_vocab(true).size;
  }

  /** The largest id the tokenizer can produce (vocabulary plus added tokens); -1 when empty. */
  get maxTokenId(): number {
    let max = -1;
    for (const id of this.inner.get_vocab(true).values()) if (id > max) max = id;
    return max;
  }

  /** Encodes text to token ids; `addSpecialTokens` (default true) applies the post-processor (BOS etc.). */
  encode(text: string, options: { addSpecialTokens?: boolean } = {}): number[] {
    return this.inner.encode(text, { add_special_tokens: options.addSpecialTokens ?? true }).ids;
  }

  /** Decodes token ids to text; special tokens are kept unless `skipSpecialTokens`. */
  decode(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): string {
    // @huggingface/tokenizers throws on an empty list; a completion that is only EOS decodes to ''.
    if (ids.length === 0) return '';
    return this.inner.decode([...ids], { skip_special_tokens: options.skipSpecialTokens ?? false, clean_up_tokenization_spaces: false });
  }

  /** Id of a token string, or undefined if it is not in the vocabulary. */
  tokenToId(token: string | undefined): number | undefined {
    return token === undefined ? undefined : this.inner.token_to_id(token);
  }

  /** Token string of an id, or undefined. */
  idToToken(id: number): string | undefined {
    return this.inner.id_to_token(id);
  }

  /** Renders the chat template for `messages` (like transformers' `apply_chat_template(tokenize=False)`). */
  applyChatTemplate(messages: readonly ChatMessage[], options: ChatTemplateOptions = {}): string {
    if (!this.compiledTemplate) {
      throw new DataError('the tokenizer has no chat template', this.templateFile, undefined, {
        hint: 'set model.chatTemplate to false for base models, or add a chat_template.jinja file to the model folder',
      });
    }
    const specials: Record<string, unknown> = {};
    for (const key of ['bos_token', 'eos_token', 'pad_token', 'unk_token']) specials[key] = tokenText(this.config[key]) ?? '';
    try {
      return this.compiledTemplate.render({
        ...specials,
        ...options.variables,
        messages: messages.map((m) => ({ ...m })),
        add_generation_prompt: options.addGenerationPrompt ?? false,
      });
    } catch (cause) {
      throw new DataError(`chat template failed: ${(cause as Error).message}`, this.templateFile, undefined, {
        hint: 'check the message roles and order the template accepts (many templates require alternating user/assistant turns)',
        cause,
      });
    }
  }

  /** Renders the chat template and encodes it without adding special tokens again (the template writes them). */
  encodeChat(messages: readonly ChatMessage[], options: ChatTemplateOptions = {}): number[] {
    return this.encode(this.applyChatTemplate(messages, options), { addSpecialTokens: false });
  }
}

// tokenizer_config writes special tokens either as text or as an AddedToken object.
function tokenText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as JsonObject)['content'] === 'string') {
    return (value as JsonObject)['content'] as string;
  }
  return undefined;
}

// chat_template is a string, or a list of named templates of which 'default' is used.
function pickChatTemplate(value: unknown, file: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    const named = value as { name?: unknown; template?: unknown }[];
    const chosen = named.find((t) => t.name === 'default') ?? named[0];
    if (chosen && typeof chosen.template === 'string') return chosen.template;
  }
  throw new DataError('chat_template: expected a string or a list of {name, template}', file, undefined, {
    hint: 'fix chat_template in tokenizer_config.json or put the template in chat_template.jinja',
  });
}

function compileTemplate(source: string, file: string): Template {
  try {
    return new Template(source);
  } catch (cause) {
    throw new DataError(`cannot parse the chat template: ${(cause as Error).message}`, file, undefined, {
      hint: 'fix the Jinja syntax of the template',
      cause,
    });
  }
}
