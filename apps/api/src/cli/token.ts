import { parseArgs } from 'node:util';
import { isRole } from '../auth/actor';
import { signToken } from '../auth/jwt.service';
import { loadConfig } from '../config/app-config';
import { resolveJwtSecret } from '../database/database-bootstrap';

const USAGE = 'usage: npm run token -- --province CODE --agency CODE --role ROLE[,ROLE…] [--sub ID] [--expires 12h]';

// Prints a signed HS256 JWT for development and tests (the same secret as the service).
export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      province: { type: 'string' },
      agency: { type: 'string' },
      role: { type: 'string', multiple: true },
      sub: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  const roles = (values.role ?? []).flatMap((r) => r.split(',')).map((r) => r.trim().toUpperCase());
  if (!values.province || values.agency === undefined || roles.length === 0) return fail(USAGE);
  const badRole = roles.find((role) => !isRole(role));
  if (badRole) return fail(`Unknown role "${badRole}": use OFFICER, SUPERVISOR, LEADER, AUDITOR or ADMIN`);
  const secret = await resolveJwtSecret(loadConfig());
  if (!secret) return fail('AUTH_JWT_SECRET is not set (with DATABASE_URL set, the service needs it too)');
  const sub = values.sub ?? `${values.agency}:${roles.join('+').toLowerCase()}`;
  const token = await signToken({ sub, province: values.province, agency: values.agency, roles: roles as never }, secret, values.expires);
  process.stdout.write(`${token}\n`);
  return 0;
}

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 2;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(2);
    },
  );
}
