import type { Scope } from '../common/scope';

// The province condition of a scoped read in TypeORM's find options (national: none).
export function inScope(scope: Scope): { provinceCode?: string } {
  return scope.provinceCode === null ? {} : { provinceCode: scope.provinceCode };
}
