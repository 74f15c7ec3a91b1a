/**
 * @rlaif/teacher-gemini: a Teacher on Google Gemini.
 * Use `gemini({ model: 'gemini-2.5-flash' })` in rlaif.config.ts, or `{ use: '@rlaif/teacher-gemini', model }`.
 */
import { gemini } from './gemini-teacher.js';

export { gemini } from './gemini-teacher.js';
export type { GeminiTeacherSettings } from './gemini-teacher.js';
export default gemini;
