import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, serverUser } from '../../support/owned-postgres';

// PostgreSQL servers the operations tests own: a primary, a streaming replica of it, a server to
// restore a dump into. pg_dump and pg_basebackup refuse a server of a newer major version, so
// every server and tool of a test comes from one binary set (pgBinaries).

const TOOLS = ['initdb', 'postgres', 'pg_basebackup', 'pg_dump', 'pg_restore', 'createdb'] as const;
export type PgTool = (typeof TOOLS)[number];

// PG_BIN when set, else the highest /usr/lib/postgresql/<major>/bin that has every tool.
export function pgBinaries(): { dir: string; major: number } {
  const complete = (dir: string) => TOOLS.every((tool) => existsSync(join(dir, tool)));
  const given = process.env.PG_BIN?.trim();
  if (given) {
    if (!complete(given)) throw new Error(`PG_BIN=${given} lacks one of ${TOOLS.join(', ')}`);
    return { dir: given, major: majorOf(given) };
  }
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((name) => /^\d+$/.test(name) && complete(join(root, name, 'bin')))
        .map(Number)
        .sort((a, b) => b - a)
    : [];
  if (majors.length === 0) {
    throw new Error(
      `No complete PostgreSQL binary set (${TOOLS.join(', ')}) in ${root}/*/bin: install one (apt-get install -y postgresql) or set PG_BIN`,
    );
  }
  return { dir: join(root, String(majors[0]), 'bin'), major: majors[0] };
}

function majorOf(dir: string): number {
  const version = execFileSync(join(dir, 'postgres'), ['--version']).toString();
  return Number(/(\d+)(\.\d+)?/.exec(version)?.[1] ?? NaN);
}

export function tool(name: PgTool): string {
  return join(pgBinaries().dir, name);
}

export class PgServer {
  private server: ChildProcess | null = null;
  private log = '';

  private constructor(
    readonly dataDir: string,
    readonly port: number,
  ) {}

  // A new cluster (initdb) ready to be a primary: WAL for streaming replicas, replication allowed
  // from 127.0.0.1 (initdb's trust pg_hba.conf has the replication lines).
  static async primary(name: string): Promise<PgServer> {
    const dataDir = join(ownedRoot(name), 'data');
    execFileSync(tool('initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], {
      ...serverUser(),
      stdio: 'pipe',
    });
    appendFileSync(
      join(dataDir, 'postgresql.conf'),
      '\nwal_level = replica\nmax_wal_senders = 5\nwal_keep_size = 64MB\nhot_standby = on\nfsync = off\nmax_connections = 60\n',
    );
    return new PgServer(dataDir, await freePort());
  }

  // A streaming replica of a running primary: pg_basebackup -R writes standby.signal and
  // primary_conninfo, so the copy starts as a hot standby that follows the primary.
  static async replicaOf(primary: PgServer, name: string): Promise<PgServer> {
    const dataDir = join(ownedRoot(name), 'data');
    execFileSync(
      tool('pg_basebackup'),
      ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-D', dataDir, '-R', '-X', 'stream', '-c', 'fast'],
      { ...serverUser(), stdio: 'pipe' },
    );
    return new PgServer(dataDir, await freePort());
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.server !== null;
  }

  async start(): Promise<void> {
    if (this.server) throw new Error('already running');
    const server = spawn(tool('postgres'), ['-D', this.dataDir, '-p', String(this.port), '-k', '', '-h', '127.0.0.1'], {
      ...serverUser(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.server = server;
    this.log = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        this.log += chunk.toString();
        // a primary says "ready to accept connections", a hot standby "ready to accept read-only connections"
        if (/ready to accept (read-only )?connections/.test(this.log)) resolve();
      };
      server.stderr!.on('data', onData);
      server.stdout!.on('data', onData);
      server.once('exit', (code) => {
        this.server = null;
        reject(new Error(`postgres exited with ${code}:\n${this.log}`));
      });
    });
  }

  // Fast shutdown (SIGINT).
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      if (server.exitCode !== null || server.signalCode !== null) return resolve();
      server.once('exit', () => resolve());
      server.kill('SIGINT');
    });
    this.server = null;
  }

  async query<T = Record<string, unknown>>(database: string, sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ connectionString: this.url(database) });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async createDatabase(name: string): Promise<void> {
    await this.query('postgres', `CREATE DATABASE "${name}"`);
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(join(this.dataDir, '..'), { recursive: true, force: true });
  }
}

function ownedRoot(name: string): string {
  const root = mkdtempSync(join(tmpdir(), `ops-${name}-`));
  const ids = serverUser();
  if (ids.uid !== undefined) chownSync(root, ids.uid, ids.gid!);
  return root;
}
