/**
 * `rlaif init [dir]`: writes a commented rlaif.config.ts and a small data/train.jsonl. Never
 * overwrites: a file that exists (or any config file rlaif would find in `dir`) is kept as it is.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultTeacher } from '../config/default-teacher.js';
import type { DefaultTeacherChoice } from '../config/default-teacher.js';
import { CONFIG_FILE_NAMES } from '../config/load.js';
import { pathExists } from '../io/path-exists.js';
import { configTemplate } from './config-template.js';
import { STARTER_TASKS } from './starter-tasks.js';

/** What `initProject` did, file by file. */
export interface InitResult {
  readonly dir: string;
  readonly teacher: DefaultTeacherChoice;
  /** Files written, relative to `dir`. */
  readonly written: readonly string[];
  /** Files kept because they (or, for the config, another config file) already existed, with that file. */
  readonly kept: readonly { readonly file: string; readonly existing: string }[];
}

const CONFIG_FILE = 'rlaif.config.ts';
const DATA_FILE = 'data/train.jsonl';

/** Writes the starter project into `dir` (created if missing); never replaces an existing file. */
export async function initProject(dir: string, env: Readonly<Record<string, string | undefined>>): Promise<InitResult> {
  const teacher = defaultTeacher(env);
  const written: string[] = [];
  const kept: { file: string; existing: string }[] = [];
  await mkdir(dir, { recursive: true });

  const existingConfig = await firstExisting(dir, CONFIG_FILE_NAMES);
  const files: readonly [string, string, string | undefined][] = [
    [CONFIG_FILE, configTemplate(teacher), existingConfig],
    [DATA_FILE, `${STARTER_TASKS.map((task) => JSON.stringify(task)).join('\n')}\n`, undefined],
  ];
  for (const [file, content, existing] of files) {
    const target = path.join(dir, file);
    if (existing !== undefined) {
      kept.push({ file, existing });
      continue;
    }
    await mkdir(path.dirname(target), { recursive: true });
    // 'wx' fails if the file exists, even one created since the check.
    const created = await writeFile(target, content, { flag: 'wx' }).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') return false;
        throw error;
      },
    );
    if (created) written.push(file);
    else kept.push({ file, existing: file });
  }
  return { dir, teacher, written, kept };
}

async function firstExisting(dir: string, names: readonly string[]): Promise<string | undefined> {
  for (const name of names) if (await pathExists(path.join(dir, name))) return name;
  return undefined;
}
