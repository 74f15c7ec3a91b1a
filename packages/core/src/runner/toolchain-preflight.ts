/**
 * Before any training: asks a code-running teacher whether it can run every language in the data.
 * A missing toolchain stops the run with what to install, unless data.skipLanguagesWithoutToolchain
 * drops those tasks (saying how many) — never scores of 0 for code that could not run.
 */
import type { Language, Task } from '../contracts/task.js';
import { LANGUAGES } from '../contracts/task.js';
import type { Teacher } from '../contracts/teacher.js';
import type { ToolchainStatus } from '../contracts/toolchain.js';
import { ConfigError } from '../errors/rlaif-error.js';
import type { Logger } from '../observability/logger.js';

type MissingToolchain = Extract<ToolchainStatus, { readonly available: false }>;

export interface ToolchainCheck {
  /** One per language in the data; empty when the teacher runs no code. */
  readonly toolchains: readonly ToolchainStatus[];
  readonly trainTasks: readonly Task[];
  readonly evalTasks: readonly Task[];
}

/** Checks the teacher's toolchains for the languages of `trainTasks` and `evalTasks`; throws ConfigError when one is missing. */
export async function checkToolchains(
  teacher: Teacher,
  tasks: { readonly trainTasks: readonly Task[]; readonly evalTasks: readonly Task[] },
  options: { readonly skip: boolean; readonly configFile: string | undefined; readonly logger: Logger },
): Promise<ToolchainCheck> {
  const { trainTasks, evalTasks } = tasks;
  if (teacher.toolchains === undefined) return { toolchains: [], trainTasks, evalTasks };
  const present = new Set([...trainTasks, ...evalTasks].map((task) => task.language));
  const toolchains = await teacher.toolchains(LANGUAGES.filter((language) => present.has(language)));
  const missing = toolchains.filter((status): status is MissingToolchain => !status.available);
  if (missing.length === 0) return { toolchains, trainTasks, evalTasks };

  const count = (list: readonly Task[], language: Language) => list.filter((task) => task.language === language).length;
  const describe = (status: MissingToolchain) =>
    `${count(trainTasks, status.language)} train and ${count(evalTasks, status.language)} eval tasks in ${status.language}: ` +
    `the ${teacher.name} teacher cannot run \`${status.command}\` (${status.problem})`;
  const hints = missing.map((status) => status.hint).join('; ');
  if (!options.skip) {
    throw new ConfigError(missing.map(describe).join('; '), 'data', options.configFile, {
      hint: `${hints}; or set data.skipLanguagesWithoutToolchain: true to train on the other languages only`,
    });
  }
  const skipped = new Set(missing.map((status) => status.language));
  const keep = (list: readonly Task[]) => list.filter((task) => !skipped.has(task.language));
  const kept = { trainTasks: keep(trainTasks), evalTasks: keep(evalTasks) };
  for (const status of missing) {
    options.logger.warn(`data.skipLanguagesWithoutToolchain: skipped ${describe(status)}`);
  }
  if (kept.trainTasks.length === 0) {
    throw new ConfigError(`every training task is in a language the teacher cannot run here (${[...skipped].join(', ')})`, 'data', options.configFile, {
      hint: hints,
    });
  }
  return { toolchains, ...kept };
}

/** The `Toolchains:` line of the plan: each language's version, or what is missing. */
export function formatToolchains(toolchains: readonly ToolchainStatus[]): string {
  if (toolchains.length === 0) return 'none needed (the teacher runs no code)';
  return toolchains.map((status) => (status.available ? `${status.language}: ${status.version}` : `${status.language}: ${status.command} missing (tasks skipped)`)).join(', ');
}
