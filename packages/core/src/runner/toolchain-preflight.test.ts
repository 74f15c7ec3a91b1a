import { describe, expect, it } from 'vitest';
import type { Language, Task } from '../contracts/task.js';
import type { Teacher } from '../contracts/teacher.js';
import type { ToolchainStatus } from '../contracts/toolchain.js';
import { ConfigError } from '../errors/rlaif-error.js';
import type { Logger } from '../observability/logger.js';
import { silentLogger } from '../observability/logger.js';
import { checkToolchains, formatToolchains } from './toolchain-preflight.js';

const task = (id: string, language: Language): Task => ({ id, language, prompt: 'p', extra: {} });
const trainTasks = [task('a', 'python'), task('b', 'rust'), task('c', 'cpp'), task('d', 'rust')];
const evalTasks = [task('e', 'rust'), task('f', 'python')];

/** A teacher double that runs python and cpp but finds no rustc, and records what it was asked. */
function teacherWithoutRust(asked: Language[][] = []): Teacher {
  return {
    name: 'exec',
    toolchains(languages: readonly Language[]) {
      asked.push([...languages]);
      return Promise.resolve(
        languages.map((language): ToolchainStatus =>
          language === 'rust'
            ? { language, command: 'rustc', available: false, problem: 'no rust toolchain found: spawn rustc ENOENT', hint: 'apt-get install rustc' }
            : { language, command: language === 'cpp' ? 'g++' : 'python3', available: true, version: `${language} 1.0` },
        ),
      );
    },
  } as unknown as Teacher;
}

describe('checkToolchains', () => {
  it('stops with the language, the missing command and how to install it', async () => {
    const asked: Language[][] = [];
    const error = await checkToolchains(teacherWithoutRust(asked), { trainTasks, evalTasks }, { skip: false, configFile: '/p/rlaif.config.ts', logger: silentLogger }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/^\/p\/rlaif\.config\.ts: data: 2 train and 1 eval tasks in rust: the exec teacher cannot run `rustc` \(no rust toolchain found/);
    expect((error as ConfigError).hint).toMatch(/apt-get install rustc; or set data\.skipLanguagesWithoutToolchain: true/);
    // Only the languages present in the data are asked for, once each.
    expect(asked).toEqual([['python', 'cpp', 'rust']]);
  });

  it('skips the tasks of a missing language when told to, and says how many', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
    const checked = await checkToolchains(teacherWithoutRust(), { trainTasks, evalTasks }, { skip: true, configFile: undefined, logger });
    expect(checked.trainTasks.map((t) => t.id)).toEqual(['a', 'c']);
    expect(checked.evalTasks.map((t) => t.id)).toEqual(['f']);
    expect(warnings).toEqual([expect.stringMatching(/^data\.skipLanguagesWithoutToolchain: skipped 2 train and 1 eval tasks in rust: .*`rustc`/)]);
    expect(formatToolchains(checked.toolchains)).toBe('python: python 1.0, cpp: cpp 1.0, rust: rustc missing (tasks skipped)');
  });

  it('refuses to skip every training task', async () => {
    const onlyRust = { trainTasks: [task('b', 'rust')], evalTasks: [] };
    await expect(checkToolchains(teacherWithoutRust(), onlyRust, { skip: true, configFile: undefined, logger: silentLogger })).rejects.toThrow(/every training task is in a language the teacher cannot run here \(rust\)/);
  });

  it('asks nothing of a teacher that runs no code', async () => {
    const judge = { name: 'anthropic' } as unknown as Teacher;
    const checked = await checkToolchains(judge, { trainTasks, evalTasks }, { skip: false, configFile: undefined, logger: silentLogger });
    expect(checked).toEqual({ toolchains: [], trainTasks, evalTasks });
    expect(formatToolchains(checked.toolchains)).toMatch(/none needed/);
  });
});
