import { GraphQLError, type ValidationRule } from 'graphql';
import { LIMITS } from '../common/validation';
import { createComplexityRule, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';

export const MAX_QUERY_DEPTH = 10;
export const MAX_QUERY_COMPLEXITY = 20000;

// A connection costs its children `first` times. The rule is static (Mercurius caches validated
// queries), so a `first` given through a variable is counted at the page-size maximum.
const pagedEstimator: ComplexityEstimator = ({ args, childComplexity, field }) => {
  const typeName = String(field.type);
  if (!typeName.includes('Connection')) return undefined;
  const first = typeof args.first === 'number' ? args.first : LIMITS.pageSize;
  return 1 + first * childComplexity;
};

export function complexityRule(): ValidationRule {
  return createComplexityRule({
    maximumComplexity: MAX_QUERY_COMPLEXITY,
    estimators: [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
    createError: (max, actual) =>
      new GraphQLError(`Query is too complex: ${actual}, the limit is ${max}. Ask for fewer fields or smaller pages.`, {
        extensions: { code: 'BAD_USER_INPUT' },
      }),
  });
}
