import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Agency } from '../agencies/agency.model';
import { Loaders as RequestLoaders } from '../graphql/current-actor.decorator';
import type { Loaders } from '../graphql/request-context';
import { TaskEvent } from './task.model';

@Resolver(() => TaskEvent)
export class TaskEventResolver {
  @ResolveField(() => Agency, { nullable: true })
  actorAgency(@Parent() event: TaskEvent, @RequestLoaders() loaders: Loaders) {
    return event.actorAgencyId ? loaders.agency.load(event.actorAgencyId) : null;
  }
}
