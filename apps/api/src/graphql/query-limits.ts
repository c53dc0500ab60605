import { GraphQLError, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { LIMITS } from '../common/validation';

export const MAX_QUERY_DEPTH = 10;
export const MAX_QUERY_COMPLEXITY = 20000;

// A connection costs its children `first` times (the page-size maximum when not given).
const pagedEstimator: ComplexityEstimator = ({ args, childComplexity, field }) => {
  if (!String(field.type).includes('Connection')) return undefined;
  const first = typeof args.first === 'number' ? args.first : LIMITS.pageSize;
  return 1 + first * childComplexity;
};

// Runs before execution, where the request's variables are known (a validation rule would be
// cached per query text by Mercurius, without them).
export async function limitComplexity(
  schema: GraphQLSchema,
  document: DocumentNode,
  _context: unknown,
  variables: Record<string, unknown> | undefined,
): Promise<void> {
  const complexity = getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    estimators: [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
  if (complexity > MAX_QUERY_COMPLEXITY) {
    throw new GraphQLError(
      `Query is too complex: ${complexity}, the limit is ${MAX_QUERY_COMPLEXITY}. Ask for fewer fields or smaller pages.`,
      { extensions: { code: 'BAD_USER_INPUT' } },
    );
  }
}
