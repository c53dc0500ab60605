import { randomUUID } from 'node:crypto';
import { GraphQLError, type ExecutionResult } from 'graphql';
import { IncompatibleSnapshotError, InvalidTaskInputError } from '@app/lifecycle';
import { PlanImportError } from '@app/plan-import';
import { DomainError, ERROR_CODES } from '../common/domain-error';
import { isDatabaseUnavailable } from '../repositories/database-errors';
import { noteErrorCodes } from '../observability/request-outcome';

export interface FormattedErrors {
  statusCode: number;
  response: ExecutionResult;
}

type Logger = { error(message: string, trace?: string): void };

export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is not answering; try again shortly';

// The one mapper from errors to the contract's extensions.code. A database that is down or too
// slow is SERVICE_UNAVAILABLE; other unknown errors are logged with an id and reach the client as
// that id only. Neither carries the driver's or the SQL's text, whatever NODE_ENV says. Nothing
// answers 500.
// Every error carries the request's id (the x-request-id header, the request's log line).
export function createErrorFormatter(logger: Logger) {
  return (
    execution: { data?: unknown; errors?: readonly unknown[] },
    context?: { reply?: { request?: { id?: string } } },
  ): FormattedErrors => {
    const request = context?.reply?.request;
    const errors = (execution.errors ?? []).flatMap(expand).map((error) => withRequestId(format(error, logger), request?.id));
    noteErrorCodes(
      request,
      errors.map((error) => error.extensions?.code),
    );
    const requestError = execution.data === undefined || execution.data === null;
    const onlyBadInput = errors.every((error) => error.extensions?.code === 'BAD_USER_INPUT');
    const refusedMethod = (execution.errors ?? []).some((error) => httpStatusOf(error) === 405);
    return {
      statusCode: refusedMethod ? 405 : requestError && onlyBadInput && errors.some(isValidationError) ? 400 : 200,
      response: { data: (execution.data ?? null) as ExecutionResult['data'], errors },
    };
  };
}

// A mutation sent with GET (Mercurius: MER_ERR_METHOD_NOT_ALLOWED) keeps its 405.
function httpStatusOf(error: unknown): number | undefined {
  const original = (error as { originalError?: { statusCode?: number } })?.originalError ?? (error as { statusCode?: number });
  return original?.statusCode;
}

// Mercurius wraps query validation failures in one error holding the list.
function expand(error: unknown): unknown[] {
  const inner = (error as { originalError?: { errors?: unknown[] } })?.originalError?.errors;
  return Array.isArray(inner) ? inner : [error];
}

function format(error: unknown, logger: Logger): GraphQLError {
  const gql =
    error instanceof GraphQLError ? error : new GraphQLError(String((error as Error)?.message ?? error), { originalError: error as Error });
  const original = gql.originalError;
  if (original instanceof DomainError) {
    return withCode(gql, original.message, original.code, original.details);
  }
  if (isDatabaseUnavailable(error)) {
    const errorId = randomUUID();
    logger.error(`Database unavailable ${errorId}: ${describe(original ?? error)}`);
    return withCode(gql, DATABASE_UNAVAILABLE_MESSAGE, 'SERVICE_UNAVAILABLE', { errorId });
  }
  const lib = libraryError(original);
  if (lib) return withCode(gql, lib.message, lib.code, { reason: lib.reason });
  const code = gql.extensions?.code;
  if (typeof code === 'string' && (ERROR_CODES as readonly string[]).includes(code)) return gql;
  if (!original || isGraphQLRequestError(original)) {
    // syntax, unknown fields, variables of the wrong type, depth or complexity over the limit
    return withCode(gql, gql.message, 'BAD_USER_INPUT', { reason: 'GRAPHQL_VALIDATION_FAILED' });
  }
  const errorId = randomUUID();
  logger.error(`Unhandled error ${errorId}: ${original.message}`, original.stack);
  return withCode(gql, `Internal error (id ${errorId})`, 'INTERNAL_SERVER_ERROR', { errorId });
}

function describe(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return `${typeof code === 'string' ? `[${code}] ` : ''}${String(message ?? error)}`;
}

// The pure libraries' errors, in the contract's vocabulary.
function libraryError(error: Error | undefined): { code: string; message: string; reason: string } | null {
  if (error instanceof IncompatibleSnapshotError) {
    return {
      code: 'INVALID_TRANSITION',
      reason: error.code,
      message: `The task's stored state cannot be read by this lifecycle version: ${error.message}`,
    };
  }
  if (error instanceof InvalidTaskInputError) return { code: 'BAD_USER_INPUT', reason: error.code, message: error.message };
  if (error instanceof PlanImportError) return { code: 'BAD_USER_INPUT', reason: 'PLAN_IMPORT', message: error.message };
  return null;
}

function isGraphQLRequestError(error: Error): boolean {
  return error instanceof GraphQLError || /^(MER_ERR_GQL|FST_ERR)/.test((error as { code?: string }).code ?? '');
}

function isValidationError(error: GraphQLError): boolean {
  return error.extensions?.reason === 'GRAPHQL_VALIDATION_FAILED';
}

function withRequestId(error: GraphQLError, requestId: string | undefined): GraphQLError {
  if (requestId === undefined) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, requestId },
  });
}

function withCode(error: GraphQLError, message: string, code: string, details: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...details, code },
  });
}
