/** The languages rlaif trains on. Aliases (`py`, `c++`, `rs`, …) are normalised by `parseLanguage`. */
export type Language = 'python' | 'cpp' | 'rust';

export const LANGUAGES: readonly Language[] = ['python', 'cpp', 'rust'];

/**
 * One prompt to train or evaluate on, as read from a JSONL line.
 * Invariant: `id` is unique within its source file; `prompt` is non-empty.
 */
export interface Task {
  /** Stable id: the line's `id`, or `<file-stem>-<line>` when absent. */
  readonly id: string;
  readonly language: Language;
  /** The instruction given to the student (no chat template applied). */
  readonly prompt: string;
  /** Test code for an executing teacher; format per language is documented in teacher-exec. */
  readonly tests?: string;
  /** A known-good solution; when present the teacher does not need to write one. */
  readonly reference?: string;
  /** Any other fields of the JSONL line, passed through to reward functions and datasets. */
  readonly extra: Readonly<Record<string, unknown>>;
}
