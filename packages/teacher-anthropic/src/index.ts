/**
 * @rlaif/teacher-anthropic: a Teacher on Claude.
 * Use `anthropic({ model: 'claude-sonnet-4-6' })` in rlaif.config.ts, or `{ use: '@rlaif/teacher-anthropic', model }`.
 */
import { anthropic } from './anthropic-teacher.js';

export { anthropic } from './anthropic-teacher.js';
export type { AnthropicTeacherSettings } from './anthropic-teacher.js';
export default anthropic;
