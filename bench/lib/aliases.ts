// The bench is compiled with plain tsc (bench/tsconfig.json), which keeps the @app/* path aliases
// that `nest build` rewrites. Resolve them to the compiled libs next to this file. Import first.
import Module from 'node:module';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..'); // dist/bench
const LIBS: Record<string, string> = {
  '@app/lifecycle': 'libs/lifecycle/src',
  '@app/approval-rules': 'libs/approval-rules/src',
  '@app/plan-import': 'libs/plan-import/src',
};

type Resolve = (request: string, ...rest: unknown[]) => string;
const moduleWithResolve = Module as unknown as { _resolveFilename: Resolve };
const original = moduleWithResolve._resolveFilename;
moduleWithResolve._resolveFilename = function (request: string, ...rest: unknown[]): string {
  const alias = Object.keys(LIBS).find((name) => request === name || request.startsWith(`${name}/`));
  if (alias) request = join(ROOT, LIBS[alias], request.slice(alias.length));
  return original.call(this, request, ...rest);
};
