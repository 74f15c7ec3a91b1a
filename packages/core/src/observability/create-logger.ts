import path from 'node:path';
import winston from 'winston';
import type { Logger } from './logger.js';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface CreateLoggerOptions {
  readonly level: LogLevel;
  /** Also write every message (at debug level) to this file; parent dirs must exist. */
  readonly file?: string;
  /** Where console lines go; stderr keeps stdout free for machine-readable output. */
  readonly stream?: NodeJS.WritableStream;
}

/** A winston logger: plain timestamped lines on the console, JSON lines in the run's log file. */
export function createLogger(options: CreateLoggerOptions): Logger & { close(): Promise<void> } {
  const transports: winston.transport[] = [
    new winston.transports.Stream({
      stream: options.stream ?? process.stderr,
      level: options.level,
      format: winston.format.combine(
        winston.format.timestamp({ format: 'YYYY-MM-DD HH:mm:ss' }),
        winston.format.printf(({ timestamp, level, message }) => `${String(timestamp)} - ${level.toUpperCase()} - ${String(message)}`),
      ),
    }),
  ];
  if (options.file) {
    transports.push(
      new winston.transports.File({
        filename: path.resolve(options.file),
        level: 'debug',
        format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
      }),
    );
  }
  const logger = winston.createLogger({ level: 'debug', transports });
  return {
    error: (message, meta) => void logger.error(message, meta),
    warn: (message, meta) => void logger.warn(message, meta),
    info: (message, meta) => void logger.info(message, meta),
    debug: (message, meta) => void logger.debug(message, meta),
    close: () =>
      new Promise<void>((resolve) => {
        logger.on('finish', () => resolve());
        logger.end();
        setTimeout(resolve, 500).unref();
      }),
  };
}
