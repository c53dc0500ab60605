// One error vocabulary: the codes of CONTRACT.md. Services throw these; one mapper turns them
// into GraphQL errors (graphql/error-formatter.ts).
// SERVICE_UNAVAILABLE (the database does not answer in time) and RATE_LIMITED (too many requests from
// one user) are ours, beyond the contract's six.
export const ERROR_CODES = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'INVALID_TRANSITION',
  'CONFLICT',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'SERVICE_UNAVAILABLE',
  'RATE_LIMITED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  // read by GraphQLError for errors that do not pass the error formatter (a subscription refused at subscribe time)
  get extensions(): Record<string, unknown> {
    return { ...this.details, code: this.code };
  }
}

export const unauthenticated = (message: string) => new DomainError('UNAUTHENTICATED', message);
// A FORBIDDEN message names the rule that said no (CONTRACT.md).
export const forbidden = (message: string, details: { rule: string } & Record<string, unknown>) =>
  new DomainError('FORBIDDEN', message.includes(details.rule) ? message : `${message} (rule ${details.rule})`, details);
export const notFound = (message: string) => new DomainError('NOT_FOUND', message);
export const badInput = (message: string, details: Record<string, unknown> = {}) => new DomainError('BAD_USER_INPUT', message, details);
export const conflict = (message: string, details: Record<string, unknown> = {}) => new DomainError('CONFLICT', message, details);
export const invalidTransition = (message: string, details: Record<string, unknown> = {}) =>
  new DomainError('INVALID_TRANSITION', message, details);
