import 'reflect-metadata';
import { bootstrap } from './bootstrap';

bootstrap().catch((error: unknown) => {
  console.error(`Failed to start: ${(error as Error)?.stack ?? String(error)}`);
  process.exit(1);
});
