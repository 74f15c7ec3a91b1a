import type { Language } from './task.js';

/** Whether a teacher that runs code can run one language on this machine. */
export type ToolchainStatus =
  | {
      readonly language: Language;
      /** The command the teacher runs, e.g. `rustc`. */
      readonly command: string;
      readonly available: true;
      /** e.g. `rustc 1.63.0`. */
      readonly version: string;
    }
  | {
      readonly language: Language;
      readonly command: string;
      readonly available: false;
      /** What went wrong, e.g. `spawn rustc ENOENT`. */
      readonly problem: string;
      /** How to install it, e.g. `apt-get install rustc`. */
      readonly hint: string;
    };
