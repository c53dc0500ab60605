import { Inject } from '@nestjs/common';
import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { CurrentActor, Loaders as RequestLoaders } from '../auth/current-actor.decorator';
import type { Loaders } from '../graphql/request-context';
import type { AgencyEntity } from './agency.entity';
import { Agency, Province } from './agency.model';
import { AgenciesService } from './agencies.service';

@Resolver(() => Agency)
export class AgenciesResolver {
  constructor(@Inject(AgenciesService) private readonly registry: AgenciesService) {}

  @Query(() => [Agency], { description: "The province's agency registry" })
  agencies(@CurrentActor() actor: Actor, @Args('provinceCode') provinceCode: string): Promise<AgencyEntity[]> {
    return this.registry.listForProvince(actor, provinceCode);
  }

  @ResolveField(() => Province)
  province(@Parent() agency: AgencyEntity, @RequestLoaders() loaders: Loaders) {
    return loaders.province.load(agency.provinceCode);
  }
}
