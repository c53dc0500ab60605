import { IncompatibleSnapshotError, InvalidTaskInputError } from '@app/lifecycle';
import { PlanImportError } from '@app/plan-import';
import type { LoggerService } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import PinoPretty from 'pino-pretty';
import { DomainError } from '../common/domain-error';
import type { AppConfig } from '../config/app-config';
import { LineScrubber, REDACT_PATHS } from './log-redaction';

export type AppLogger = Logger;

export interface LoggerOptions {
  format: AppConfig['logFormat'];
  level: AppConfig['logLevel'];
  secrets: readonly (string | null)[];
  destination?: DestinationStream; // stdout unless given (tests)
  colorize?: boolean;
}

// Nest's levels in pino's names (LOG_LEVEL keeps Nest's vocabulary; `info` is read as `log`).
const PINO_LEVELS: Record<AppConfig['logLevel'], Level> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

// One pino logger for the whole process: Fastify's own (the per-request line) and Nest's
// (bootstrap, services) through PinoNestLogger. JSON lines, or pino-pretty's readable ones.
export function createLogger(options: LoggerOptions): { logger: AppLogger; scrubber: LineScrubber } {
  const scrubber = new LineScrubber();
  for (const secret of options.secrets) scrubber.addSecret(secret);
  const target =
    options.destination ??
    (options.format === 'pretty'
      ? PinoPretty({
          sync: true,
          colorize: options.colorize ?? process.stdout.isTTY === true,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname',
          singleLine: true,
        })
      : pino.destination({ dest: 1, sync: true }));
  const scrubbed: DestinationStream = { write: (line: string) => void target.write(scrubber.scrub(line)) };
  const logger = pino(
    {
      level: PINO_LEVELS[options.level],
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    scrubbed,
  );
  return { logger, scrubber };
}

// The request a line is written for (Fastify's onRequest runs the rest of the request in it), so
// that what Nest and the services log while serving it carries its reqId too.
export const requestScope = new AsyncLocalStorage<{ reqId: string }>();

// Errors a request may meet in the ordinary course (a refusal, bad input): the request's own line
// names their code; Nest's ExceptionsHandler would log each at error with its stack.
function isExpected(error: Error): boolean {
  return (
    error instanceof DomainError ||
    error instanceof GraphQLError ||
    error instanceof IncompatibleSnapshotError ||
    error instanceof InvalidTaskInputError ||
    error instanceof PlanImportError
  );
}

// Nest's LoggerService on the same pino logger. Nest calls `error(message, stack?, context?)` and
// the other levels `(message, context?)`.
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: AppLogger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (message instanceof Error && isExpected(message)) return this.expected(message, params);
    if (!this.logger.isLevelEnabled(level)) return;
    const rest = [...params];
    const fields: Record<string, unknown> = { ...requestScope.getStore() };
    const last = rest.at(-1);
    if (typeof last === 'string' && !last.includes('\n')) fields.context = rest.pop();
    const stack = rest.find((param): param is string => typeof param === 'string' && param.includes('\n'));
    if (stack) fields.stack = stack;
    if (message instanceof Error) {
      fields.err = message;
      this.logger[level](fields, message.message);
    } else if (typeof message === 'object' && message !== null) {
      this.logger[level]({ ...fields, detail: message });
    } else {
      this.logger[level](fields, String(message));
    }
  }

  // at debug, by its kind and code only: its message may quote what the user sent
  private expected(error: Error, params: unknown[]): void {
    if (!this.logger.isLevelEnabled('debug')) return;
    const code = (error as { code?: unknown }).code ?? (error as GraphQLError).extensions?.code;
    const context = params.find((param) => typeof param === 'string' && !param.includes('\n'));
    this.logger.debug({ ...requestScope.getStore(), context, error: error.name, code }, 'request refused');
  }
}
