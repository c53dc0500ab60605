import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import { unauthenticated } from '../common/domain-error';
import type { RequestContext } from './request-context';

// Authentication only: the token was verified when the request context was built.
export class AuthGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType<string>() !== 'graphql') return true;
    const ctx = GqlExecutionContext.create(context).getContext<RequestContext>();
    if (ctx.actor) return true;
    throw ctx.authError ?? unauthenticated('Missing Authorization header: send "Authorization: Bearer <JWT>"');
  }
}

// Every GraphQL request carries a valid token (CONTRACT.md), also those no resolver answers
// (__typename, introspection): checked before validation.
export async function requireActor(_schema: unknown, _document: unknown, context: RequestContext): Promise<void> {
  if (!context.actor) throw context.authError ?? unauthenticated('Missing Authorization header: send "Authorization: Bearer <JWT>"');
}
