/**
 * Typed errors. Every rlaif error carries a `Symbol.for` marker (so `isInstance` works across
 * duplicated module copies), a `hint` saying what to do next, and keeps its `cause` when wrapping.
 */
const marker = Symbol.for('rlaif.error');

export interface RlaifErrorOptions {
  /** What the user should do next; appended to the message. */
  hint?: string;
  cause?: unknown;
}

export class RlaifError extends Error {
  private readonly [marker] = true;
  /** Stable machine-readable code, e.g. `RLAIF_CONFIG`. */
  readonly code: string = 'RLAIF_ERROR';
  readonly hint: string | undefined;

  constructor(message: string, options: RlaifErrorOptions = {}) {
    super(options.hint ? `${message}\n  → ${options.hint}` : message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }

  static isInstance(error: unknown): error is RlaifError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}

/** Invalid configuration: names the key path (`rlaif.temperature`) and the config file. */
export class ConfigError extends RlaifError {
  override readonly code = 'RLAIF_CONFIG';
  constructor(
    message: string,
    readonly keyPath: string | undefined,
    readonly file: string | undefined,
    options: RlaifErrorOptions = {},
  ) {
    super(`${file ? `${file}: ` : ''}${keyPath ? `${keyPath}: ` : ''}${message}`, options);
  }
}

/** Bad input data: names the file and 1-based line. */
export class DataError extends RlaifError {
  override readonly code = 'RLAIF_DATA';
  constructor(
    message: string,
    readonly file: string,
    readonly line: number | undefined,
    options: RlaifErrorOptions = {},
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${message}`, options);
  }
}

/** A plugin could not be found, loaded, or does not satisfy its contract. */
export class PluginError extends RlaifError {
  override readonly code = 'RLAIF_PLUGIN';
  constructor(
    message: string,
    readonly plugin: string,
    options: RlaifErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** A checkpoint is missing, incomplete or unreadable. */
export class CheckpointError extends RlaifError {
  override readonly code = 'RLAIF_CHECKPOINT';
  constructor(
    message: string,
    readonly path: string,
    options: RlaifErrorOptions = {},
  ) {
    super(`${path}: ${message}`, options);
  }
}

/** The model backend failed (unsupported architecture, bad weights, engine error). */
export class BackendError extends RlaifError {
  override readonly code = 'RLAIF_BACKEND';
}

/** A teacher call failed; `retryable` tells the retry policy whether another attempt may help. */
export class TeacherError extends RlaifError {
  override readonly code = 'RLAIF_TEACHER';
  constructor(
    message: string,
    readonly provider: string,
    readonly retryable: boolean,
    options: RlaifErrorOptions & { status?: number; retryAfterMs?: number } = {},
  ) {
    super(message, options);
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
}

/** A Hugging Face hub request failed: names the repository and, when the hub answered, its HTTP status. */
export class HubError extends RlaifError {
  override readonly code = 'RLAIF_HUB';
  constructor(
    message: string,
    readonly repo: string,
    options: RlaifErrorOptions & { status?: number } = {},
  ) {
    super(`${repo}: ${message}`, options);
    this.status = options.status;
  }
  readonly status: number | undefined;
}

/** The code sandbox could not be set up on this host, or a toolchain is missing. */
export class SandboxError extends RlaifError {
  override readonly code = 'RLAIF_SANDBOX';
}

/** The run was stopped on purpose (Ctrl-C, budget reached); not a failure of the code. */
export class RunStoppedError extends RlaifError {
  override readonly code = 'RLAIF_STOPPED';
  constructor(
    message: string,
    readonly reason: 'signal' | 'budget' | 'health',
    options: RlaifErrorOptions = {},
  ) {
    super(message, options);
  }
}
