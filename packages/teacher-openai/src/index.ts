/**
 * @rlaif/teacher-openai: a Teacher on the OpenAI API or any OpenAI-compatible server.
 * Use `openai({ model: 'gpt-4.1-mini' })` in rlaif.config.ts, or `{ use: '@rlaif/teacher-openai', model }`.
 */
import { openai } from './openai-teacher.js';

export { openai } from './openai-teacher.js';
export type { OpenAITeacherSettings } from './openai-teacher.js';
export type { StructuredOutputMode } from './chat-request.js';
export default openai;
