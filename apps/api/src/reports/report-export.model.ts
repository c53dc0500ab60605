import { Field, GraphQLISODateTime, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export const ReportPeriodEnum = { H1: 'H1', YEAR: 'YEAR' } as const;
registerEnumType(ReportPeriodEnum, {
  name: 'ReportPeriod',
  description: 'H1: the half-year report (data 15 Dec of the year before to 14 Jun); YEAR: the year report (to 14 Dec)',
});

export const ReportFormatEnum = { XLSX: 'XLSX', MD: 'MD' } as const;
registerEnumType(ReportFormatEnum, { name: 'ReportFormat' });

@ObjectType({ description: 'A generated document, inline' })
export class ReportFile {
  @Field({ description: 'e.g. "bao-cao-12-kh-ubnd-2030-H1.xlsx"' }) filename: string;
  @Field() mimeType: string;
  @Field({ description: 'The file, base64-encoded' }) base64: string;
  @Field(() => Int, { description: 'Size of the decoded file in bytes' }) byteLength: number;
  @Field(() => GraphQLISODateTime, { description: "The figures' cut-off: the end of the period's data window, or now while it runs" })
  asOf: Date;
}
