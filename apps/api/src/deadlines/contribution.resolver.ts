import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Agency } from '../agencies/agency.model';
import { Loaders as RequestLoaders } from '../graphql/current-actor.decorator';
import type { Loaders } from '../graphql/request-context';
import { Contribution } from './deadlines.model';

@Resolver(() => Contribution)
export class ContributionResolver {
  @ResolveField(() => Agency, { nullable: true })
  agency(@Parent() contribution: Contribution, @RequestLoaders() loaders: Loaders) {
    return contribution.agencyId ? loaders.agency.load(contribution.agencyId) : null;
  }
}
