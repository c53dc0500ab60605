import { GraphQLError } from 'graphql';
import { IncompatibleSnapshotError, InvalidTaskInputError } from '@app/lifecycle';
import { PlanImportError } from '@app/plan-import';
import { badInput } from '../common/domain-error';
import { createErrorFormatter } from './error-formatter';

const logged: string[] = [];
const format = createErrorFormatter({ error: (message) => void logged.push(message) }, true);

function codeOf(error: Error): { code: unknown; message: string } {
  const { response } = format({ data: null, errors: [new GraphQLError(error.message, { originalError: error })] });
  const [formatted] = response.errors!;
  return { code: formatted.extensions?.code, message: formatted.message };
}

describe(createErrorFormatter.name, () => {
  it('does map the libraries errors to contract codes, not INTERNAL_SERVER_ERROR', () => {
    expect(codeOf(new IncompatibleSnapshotError('snapshot names unknown state DONE')).code).toBe('INVALID_TRANSITION');
    expect(codeOf(new InvalidTaskInputError('dueAt is not an instant')).code).toBe('BAD_USER_INPUT');
    expect(codeOf(new PlanImportError('no table')).code).toBe('BAD_USER_INPUT');
    expect(codeOf(badInput('x')).code).toBe('BAD_USER_INPUT');
  });

  it('does hide an unknown error behind an id in production', () => {
    const { code, message } = codeOf(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
    expect(code).toBe('INTERNAL_SERVER_ERROR');
    expect(message).not.toContain('ECONNREFUSED');
    expect(logged.at(-1)).toContain('ECONNREFUSED');
  });
});
