import { Inject } from '@nestjs/common';
import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { Actor } from '../auth/actor';
import { CurrentActor, Loaders as RequestLoaders } from '../graphql/current-actor.decorator';
import type { Loaders } from '../graphql/request-context';
import type { AgencyEntity } from '../repositories/agency.repository';
import { Agency, Province } from './agency.model';
import { AgenciesService } from './agencies.service';

@Resolver(() => Agency)
export class AgenciesResolver {
  constructor(@Inject(AgenciesService) private readonly registry: AgenciesService) {}

  @Query(() => [Agency], { description: "The province's agency registry" })
  agencies(@CurrentActor() actor: Actor, @Args('provinceCode') provinceCode: string): Promise<AgencyEntity[]> {
    return this.registry.listForProvince(actor, provinceCode);
  }

  @ResolveField(() => [Agency], { description: 'The registered members of a group agency (none for an agency that is no group)' })
  async members(@Parent() agency: AgencyEntity, @RequestLoaders() loaders: Loaders) {
    if (!agency.isGroup) return [];
    const ids = await loaders.groupMembers.load(agency.id);
    return (await loaders.agency.loadMany(ids)).filter((a) => a && !(a instanceof Error));
  }

  @Mutation(() => Agency, { description: "ADMIN: add an agency (or a group) to a province's registry" })
  createAgency(
    @CurrentActor() actor: Actor,
    @Args('provinceCode') provinceCode: string,
    @Args('name') name: string,
    @Args('isGroup', { type: () => Boolean, nullable: true }) isGroup?: boolean,
    @Args('aliases', { type: () => [String], nullable: true }) aliases?: string[],
  ): Promise<AgencyEntity> {
    return this.registry.create(actor, provinceCode, name, isGroup ?? false, aliases ?? []);
  }

  @Mutation(() => Agency, {
    description: 'ADMIN: set the member agencies of a group; their staff act for the group as lead or coordinating agency',
  })
  setAgencyGroupMembers(
    @CurrentActor() actor: Actor,
    @Args('groupId', { type: () => ID }) groupId: string,
    @Args('memberIds', { type: () => [ID] }) memberIds: string[],
  ): Promise<AgencyEntity> {
    return this.registry.setGroupMembers(actor, groupId, memberIds);
  }

  @ResolveField(() => Province)
  province(@Parent() agency: AgencyEntity, @RequestLoaders() loaders: Loaders) {
    return loaders.province.load(agency.provinceCode);
  }
}
