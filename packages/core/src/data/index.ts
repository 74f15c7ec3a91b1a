export { LANGUAGE_ALIASES, describeAcceptedLanguages, parseLanguage } from './languages.js';
export { parseTasks, readTasks } from './read-tasks.js';
export { splitTasks } from './split-tasks.js';
export type { TaskSplit } from './split-tasks.js';
export { PromptSource } from './prompt-source.js';
export type { DataPosition, PromptSourceOptions } from './prompt-source.js';
