import 'reflect-metadata';
import { bootstrap } from './bootstrap';
import { ConfigError } from './config/app-config';

bootstrap().catch((error: unknown) => {
  // a wrong setting is told in one line; anything else with its stack
  if (error instanceof ConfigError) console.error(`Failed to start: ${error.message}`);
  else console.error(`Failed to start: ${(error as Error)?.stack ?? String(error)}`);
  process.exit(1);
});
