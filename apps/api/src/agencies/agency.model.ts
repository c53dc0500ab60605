import { Field, ID, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class Province {
  @Field() code: string;
  @Field() name: string;
}

@ObjectType({ description: 'An agency of a province registry (Sở, Ban, UBND huyện, …), or a group of agencies' })
export class Agency {
  @Field(() => ID) id: string;
  @Field() code: string;
  @Field() name: string;
  @Field({ description: 'True for group names such as "Các Sở, Ban ngành"' }) isGroup: boolean;
  @Field(() => [String]) aliases: string[];
  provinceCode: string;
}
