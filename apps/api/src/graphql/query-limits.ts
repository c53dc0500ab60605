import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  getNamedType,
  getNullableType,
  isListType,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { LIMITS } from '../common/validation';

// Limits on one GraphQL document (docs/RELIABILITY.md). Each answers BAD_USER_INPUT naming the limit,
// before any resolver runs.
export const QUERY_LIMITS = {
  depth: 10, // introspection (GraphiQL, codegen) is not counted
  aliases: 30,
  directives: 20,
  tokens: 5000, // the parser stops after this many
  characters: 100_000, // of query text; data travels in variables
  nesting: 64, // brackets of any kind, checked before parsing: the parser recurses on them
  complexity: 20_000,
  listSize: 10, // what a list field without `first` is assumed to hold
} as const;

// Fields whose one call does work far beyond the rows it returns.
export const FIELD_COSTS: Readonly<Record<string, number>> = {
  verifyAuditTrail: 5000,
  importPlan: 5000,
  runDeadlineSweep: 2000,
  runDailyDigest: 2000,
  planReports: 200,
  agencyScorecard: 200,
  sectionScorecard: 200,
  planReportExport: 2000,
  replayTask: 100,
  taskTimeline: 100,
};

// Validation rules depend on the text only, so Mercurius may cache their verdict per query text.
export function documentRules(options: { introspection: boolean }): ValidationRule[] {
  const rules = [
    maxDepthRule({ n: QUERY_LIMITS.depth, ignoreIntrospection: true, flattenFragments: true }),
    maxAliasesRule({ n: QUERY_LIMITS.aliases }),
    maxDirectivesRule({ n: QUERY_LIMITS.directives }),
  ] as ValidationRule[];
  return options.introspection ? rules : [...rules, NoSchemaIntrospectionCustomRule];
}

// Mercurius preParsing hook: a long text is refused before the parser sees it.
export async function limitQueryText(_schema: unknown, source: string): Promise<void> {
  if (typeof source === 'string' && source.length > QUERY_LIMITS.characters) {
    throw badQuery(
      `Query text is too long: ${source.length} characters, at most ${QUERY_LIMITS.characters}. Send values as variables.`,
      'QUERY_TOO_LONG',
    );
  }
  if (typeof source === 'string' && nestingDepth(source) > QUERY_LIMITS.nesting) {
    throw badQuery(`Query is nested more than ${QUERY_LIMITS.nesting} brackets deep`, 'QUERY_TOO_DEEP');
  }
}

// The deepest nesting of { [ ( outside strings and comments, in one pass: graphql-js parses
// recursively, so a few thousand brackets would overflow its stack before any validation rule runs.
export function nestingDepth(source: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < source.length; i += 1) {
    const c = source[i];
    if (c === '#') {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i += 1;
    } else if (c === '"') {
      if (source.startsWith('"""', i)) {
        const end = source.indexOf('"""', i + 3);
        i = end === -1 ? source.length : end + 2;
      } else {
        for (i += 1; i < source.length && source[i] !== '"' && source[i] !== '\n'; i += 1) if (source[i] === '\\') i += 1;
      }
    } else if (c === '{' || c === '[' || c === '(') {
      depth += 1;
      if (depth > deepest) deepest = depth;
    } else if (c === '}' || c === ']' || c === ')') {
      depth = Math.max(0, depth - 1);
    }
  }
  return deepest;
}

// `first` is checked here, before execution, wherever it appears: a negative page would otherwise
// zero the cost of everything under it.
function pageArgument(args: Record<string, unknown>, field: string): number | null {
  if (!('first' in args) || args.first === null || args.first === undefined) return null;
  const first = args.first;
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > LIMITS.pageSize) {
    throw badQuery(`${field}(first:) must be between 1 and ${LIMITS.pageSize}, got ${String(first)}`, 'PAGE_SIZE');
  }
  return first;
}

// A connection costs its nodes `first` times (the page-size maximum when not given); any other list
// costs its items `listSize` times (or `first`); a field in FIELD_COSTS adds its own work.
const estimator: ComplexityEstimator = ({ args, childComplexity, field, type: parent }) => {
  // introspection (GraphiQL, codegen) reads the schema, not data
  if (field.name.startsWith('__') || parent.name.startsWith('__')) return 0;
  const first = pageArgument(args, field.name);
  const own = FIELD_COSTS[field.name] ?? 1;
  const type = getNullableType(field.type);
  if (getNamedType(type).name.endsWith('Connection')) return own + (first ?? LIMITS.pageSize) * childComplexity;
  // a connection's edges are already counted by its page size; a list of scalars is one value
  if (parent.name.endsWith('Connection') || !isListType(type) || childComplexity === 0) return own + childComplexity;
  return own + (first ?? QUERY_LIMITS.listSize) * childComplexity;
};

// Mercurius preExecution hook, where the request's variables are known (a validation rule would be
// cached per query text without them).
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
    estimators: [estimator, simpleEstimator({ defaultComplexity: 1 })],
  });
  if (complexity > QUERY_LIMITS.complexity) {
    throw badQuery(
      `Query is too complex: ${complexity}, the limit is ${QUERY_LIMITS.complexity}. Ask for fewer fields, fewer aliases or smaller pages.`,
      'QUERY_TOO_COMPLEX',
    );
  }
}

function badQuery(message: string, reason: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', reason } });
}

// Mercurius preSubscriptionExecution hook: a subscription's document is not validated by Mercurius
// (graphql-js' subscribe() assumes a valid one), so the same rules and limits as for queries run
// here. Variables are not known to this hook: a page size given as a variable counts as the largest.
export function limitSubscription(options: { introspection: boolean }) {
  const rules = [...specifiedRules, ...documentRules(options)];
  return async (schema: GraphQLSchema, document: DocumentNode): Promise<void> => {
    const [invalid] = validate(schema, document, rules);
    if (invalid) throw badQuery(invalid.message, 'GRAPHQL_VALIDATION_FAILED');
    await limitComplexity(schema, document, null, {});
  };
}
