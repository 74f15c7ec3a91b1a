/** The logging surface plugins see: winston-compatible, but plugins depend only on this. */
export interface Logger {
  error(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  debug(message: string, meta?: Record<string, unknown>): void;
}

/** A logger that drops everything; for tests and library use without a run. */
export const silentLogger: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
};
