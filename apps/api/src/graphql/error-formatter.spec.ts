import { GraphQLError } from 'graphql';
import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';
import { IncompatibleSnapshotError, InvalidTaskInputError } from '@app/lifecycle';
import { PlanImportError } from '@app/plan-import';
import { badInput } from '../common/domain-error';
import { outcomeOfRequest } from '../observability/request-outcome';
import { createErrorFormatter } from './error-formatter';

const logged: string[] = [];
// one formatter for every NODE_ENV: what a client sees does not depend on the mode
const formatter = createErrorFormatter({ error: (message) => void logged.push(message) });

function codeOf(error: Error): { code: unknown; message: string; body: string } {
  const { response } = formatter({ data: null, errors: [new GraphQLError(error.message, { originalError: error })] });
  const [formatted] = response.errors!;
  return { code: formatted.extensions?.code, message: formatted.message, body: JSON.stringify(response) };
}

// What pg, pg-pool and TypeORM throw when the database is stopped, frozen, overloaded or too slow.
function pgError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}
function queryFailed(driverError: Error): Error {
  return Object.assign(new Error(driverError.message), { name: 'QueryFailedError', query: 'SELECT secret FROM tasks', driverError });
}
const UNAVAILABLE: [string, Error][] = [
  ['statement timeout (57014)', queryFailed(pgError('canceling statement due to statement timeout', '57014'))],
  ['lock timeout (55P03)', queryFailed(pgError('canceling statement due to lock timeout', '55P03'))],
  ['admin shutdown (57P01)', queryFailed(pgError('terminating connection due to administrator command', '57P01'))],
  ['cannot connect now (57P03)', pgError('the database system is shutting down', '57P03')],
  ['too many connections (53300)', pgError('sorry, too many clients already', '53300')],
  ['idle in transaction timeout (25P03)', pgError('terminating connection due to idle-in-transaction timeout', '25P03')],
  ['connection exception (08006)', pgError('connection failure', '08006')],
  ['connection refused', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111 })],
  [
    'connection refused on every address',
    new AggregateError([Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], 'connect failed'),
  ],
  ['connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
  ['connection terminated', queryFailed(new Error('Connection terminated unexpectedly'))],
  ['connect timeout', new Error('Connection terminated due to connection timeout')],
  ['pool acquire timeout', new Error('timeout exceeded when trying to connect')],
  ['query read timeout', queryFailed(new Error('Query read timeout'))],
  ['connection lost mid-transaction (TypeORM)', new QueryRunnerAlreadyReleasedError()],
  // seen in the outage chaos test: the transaction's entity manager after the connection died
  ['connection lost mid-transaction (TypeORM entity manager)', new QueryRunnerProviderAlreadyReleasedError()],
  ['client not queryable', new Error('Client has encountered a connection error and is not queryable')],
];

describe(createErrorFormatter.name, () => {
  it('does map the libraries errors to contract codes, not INTERNAL_SERVER_ERROR', () => {
    expect(codeOf(new IncompatibleSnapshotError('snapshot names unknown state DONE')).code).toBe('INVALID_TRANSITION');
    expect(codeOf(new InvalidTaskInputError('dueAt is not an instant')).code).toBe('BAD_USER_INPUT');
    expect(codeOf(new PlanImportError('no table')).code).toBe('BAD_USER_INPUT');
    expect(codeOf(badInput('x')).code).toBe('BAD_USER_INPUT');
  });

  it.each(UNAVAILABLE)('does answer SERVICE_UNAVAILABLE without the driver text for %s, in every mode', (_name, error) => {
    const { code, message, body } = codeOf(error);
    expect(code).toBe('SERVICE_UNAVAILABLE');
    expect(message).toBe('The database is not answering; try again shortly');
    expect(body).not.toContain(error.message);
    expect(body).not.toMatch(/SELECT|ECONN|timeout exceeded|terminat|canceling/);
    expect(logged.at(-1)).toContain(error.message.split(' ')[0]); // the server log keeps it
  });

  it('does hide an unknown error behind an id in every mode and log it', () => {
    const error = queryFailed(pgError('duplicate key value violates unique constraint "tasks_pkey"', '23505'));
    const { code, message, body } = codeOf(error);
    expect(code).toBe('INTERNAL_SERVER_ERROR');
    expect(message).toMatch(/^Internal error \(id [0-9a-f-]{36}\)$/);
    expect(body).not.toMatch(/duplicate|tasks_pkey|SELECT/);
    expect(logged.at(-1)).toContain('tasks_pkey');
  });

  it('does not take an ordinary error for an outage', () => {
    expect(codeOf(new Error('Cannot read properties of undefined (reading "id")')).code).toBe('INTERNAL_SERVER_ERROR');
    expect(codeOf(pgError('syntax error at or near "FROM"', '42601')).code).toBe('INTERNAL_SERVER_ERROR');
  });
});

describe('createErrorFormatter and the request id', () => {
  it("does put the request's id in every error, a domain refusal and an unexpected error alike, and note their codes", () => {
    const request = { id: 'req-42' };
    const { response } = formatter(
      {
        data: null,
        errors: [new GraphQLError('x', { originalError: badInput('bad') }), new GraphQLError('y', { originalError: new Error('boom') })],
      },
      { reply: { request } },
    );
    expect(response.errors!.map((error) => error.extensions)).toEqual([
      { code: 'BAD_USER_INPUT', requestId: 'req-42' },
      expect.objectContaining({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42' }),
    ]);
    expect(outcomeOfRequest(request).errorCodes).toEqual(['BAD_USER_INPUT', 'INTERNAL_SERVER_ERROR']);
  });

  it('does leave errors without a request (a subscription event) as they were', () => {
    const { response } = formatter({ data: null, errors: [new GraphQLError('x', { originalError: badInput('bad') })] }, {});
    expect(response.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT' });
  });
});
