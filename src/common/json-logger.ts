import { ConsoleLogger, LogLevel as NestLevel } from '@nestjs/common';
import type { LogLevel } from '../config/config.js';

const LEVELS: Record<LogLevel, NestLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
};

/** createLogger gives one JSON object per line, which log shippers parse without rules. */
export function createLogger(level: LogLevel): ConsoleLogger {
  return new ConsoleLogger({ json: true, logLevels: LEVELS[level], colors: false });
}
