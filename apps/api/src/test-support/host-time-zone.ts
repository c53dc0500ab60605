import { runInThisContext } from 'node:vm';

// jest gives each test file a copy of process.env: TZ must be set on the real process for Date to
// follow (Node applies a changed TZ at once).
export function setHostTimeZone(zone: string | undefined): void {
  const real = runInThisContext('process') as NodeJS.Process;
  for (const env of [real.env, process.env]) {
    if (zone === undefined) delete env.TZ;
    else env.TZ = zone;
  }
}
