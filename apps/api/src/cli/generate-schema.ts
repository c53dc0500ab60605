import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { RESOLVERS } from '../resolvers';

export const SCHEMA_FILE = resolve(__dirname, '../../../../../../../schema.graphql');

// Prints the code-first schema without a database, for frontends' codegen. --check exits 1 when
// the committed schema.graphql is stale.
export async function renderSchema(): Promise<string> {
  const app = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  await app.init();
  const schema = await app.get(GraphQLSchemaFactory).create(RESOLVERS);
  await app.close();
  return `# Generated from the code-first resolvers by \`npm run schema\`; do not edit.\n\n${printSchema(lexicographicSortSchema(schema))}\n`;
}

async function main(check: boolean): Promise<number> {
  const schema = await renderSchema();
  if (!check) {
    writeFileSync(SCHEMA_FILE, schema);
    process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
    return 0;
  }
  const current = readFileSync(SCHEMA_FILE, 'utf8');
  if (current === schema) return 0;
  process.stderr.write('schema.graphql is stale: run `npm run schema` and commit it\n');
  return 1;
}

if (require.main === module) {
  main(process.argv.includes('--check')).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).stack}\n`);
      process.exit(2);
    },
  );
}
