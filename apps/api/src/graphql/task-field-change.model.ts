import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'One field of a task an amended plan changed, as the plan gave it before and after' })
export class TaskFieldChange {
  @Field({
    description:
      'section, ordinal, title, leadAgencies, coordinatingAgencies (agency codes joined by "; "), timeframe, target, note, ' +
      'or schedule (the due instants, joined by "; ")',
  })
  field: string;
  @Field(() => String, { nullable: true }) from: string | null;
  @Field(() => String, { nullable: true }) to: string | null;
}
