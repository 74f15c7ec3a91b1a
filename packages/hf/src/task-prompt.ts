/**
 * How a Task becomes prompt token ids, shared by every backend's sampling and SFT (and generators on
 * other engines, through Policy.promptTokens) so all see the same prompt:
 * the task's instruction plus a request for one fenced block in its language, wrapped in the chat
 * template (with the system prompt) for instruct models, or as plain text for base models.
 */
import type { Language, ModelSpec, Task } from '@rlaif/core';
import { BackendError } from '@rlaif/core';
import type { ChatMessage, Tokenizer } from './tokenizer.js';

const LANGUAGE_NAMES: Record<Language, string> = { python: 'Python', cpp: 'C++', rust: 'Rust' };

/** The user message for `task`: its prompt and the language to answer in. */
export function taskInstruction(task: Task): string {
  return `${task.prompt.trim()}\n\nWrite the solution in ${LANGUAGE_NAMES[task.language]}, in a single \`\`\`${task.language} code block.`;
}

/** Prompt token ids of `task` as the policy sees them. */
export function formatTaskPrompt(task: Task, tokenizer: Tokenizer, model: Pick<ModelSpec, 'chatTemplate' | 'systemPrompt'>): number[] {
  const instruction = taskInstruction(task);
  if (!model.chatTemplate) {
    const text = model.systemPrompt ? `${model.systemPrompt}\n\n${instruction}\n` : `${instruction}\n`;
    return tokenizer.encode(text);
  }
  if (!tokenizer.chatTemplate) {
    throw new BackendError('model.chatTemplate is on but the tokenizer has no chat template', {
      hint: 'set model.chatTemplate to false for base models, or use an instruct model whose tokenizer_config.json has chat_template',
    });
  }
  const messages: ChatMessage[] = [];
  if (model.systemPrompt) messages.push({ role: 'system', content: model.systemPrompt });
  messages.push({ role: 'user', content: instruction });
  return tokenizer.encodeChat(messages, { addGenerationPrompt: true });
}

