import type { CliCommand } from '../command.js';
import { exportCommand } from './export.js';
import { generateCommand } from './generate.js';
import { initCommand } from './init.js';
import { pushCommand } from './push.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { scoreCommand } from './score.js';
import { summariesCommand } from './summaries.js';
import { validateCommand } from './validate.js';

/** Every `rlaif` command, in help order. */
export const COMMANDS: readonly CliCommand[] = [initCommand, runCommand, validateCommand, scoreCommand, generateCommand, exportCommand, pushCommand, summariesCommand, reportCommand];
