// What the GraphQL layer learns about a request, kept for its completion line and metrics: the
// operation (from the parsed document) and the error codes it answered.
export interface RequestOutcome {
  operationName: string | null;
  operationType: string | null;
  errorCodes: string[];
}

const MAX_CODES = 10;
const outcomes = new WeakMap<object, RequestOutcome>();

export function outcomeOfRequest(request: object): RequestOutcome {
  let outcome = outcomes.get(request);
  if (!outcome) {
    outcome = { operationName: null, operationType: null, errorCodes: [] };
    outcomes.set(request, outcome);
  }
  return outcome;
}

export function noteOperation(request: object | undefined, name: string | null, type: string | null): void {
  if (!request) return;
  const outcome = outcomeOfRequest(request);
  outcome.operationName = name;
  outcome.operationType = type;
}

export function noteErrorCodes(request: object | undefined, codes: readonly unknown[]): void {
  if (!request) return;
  const known = outcomeOfRequest(request).errorCodes;
  for (const code of codes) {
    const text = typeof code === 'string' && /^[A-Z][A-Z_]{1,39}$/.test(code) ? code : 'INTERNAL_SERVER_ERROR';
    if (!known.includes(text) && known.length < MAX_CODES) known.push(text);
  }
}
