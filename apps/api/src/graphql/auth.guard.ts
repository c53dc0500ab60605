import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { unauthenticated } from '../common/domain-error';
import type { RequestContext } from './request-context';

// Authentication only: the token was verified before the body was read (graphql/http-guards.ts);
// these are the second line, for any path that reaches GraphQL without that hook.
export class AuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType<string>() !== 'graphql') return true;
    const ctx = GqlExecutionContext.create(context).getContext<RequestContext>();
    if (ctx.actor) return true;
    throw unauthenticated('Missing Authorization header: send "Authorization: Bearer <JWT>"');
  }
}

// Every GraphQL request carries a valid token (CONTRACT.md), also those no resolver answers
// (__typename, introspection): checked before validation.
export async function requireActor(_schema: unknown, _document: unknown, context: RequestContext): Promise<void> {
  if (!context.actor) throw unauthenticated('Missing Authorization header: send "Authorization: Bearer <JWT>"');
}
