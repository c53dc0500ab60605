import type { FastifyInstance, FastifyReply } from 'fastify';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// GET /console: the supervisor's web page (README "Supervisor's console"). Plain files, no build
// step: the page talks to the same GraphQL API (/graphql, graphql-ws for taskChanged) with the
// token the supervisor pastes. A fixed list of files, read once at start, so no request path ever
// reaches the file system.
export const CONSOLE_PATH = '/console';

// Scripts and styles only from this origin, nothing inline: data reaches the page as text only.
// 'self' covers the page's own websocket (ws:/wss: of the same host) in CSP Level 3.
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface ConsoleFile {
  body: Buffer;
  type: string;
}

const PUBLIC_DIR = join(__dirname, 'public');

// The URL under /console/ → where the file is.
function consoleFiles(): Record<string, () => string> {
  return {
    '': () => join(PUBLIC_DIR, 'index.html'),
    'console.css': () => join(PUBLIC_DIR, 'console.css'),
    'console.js': () => join(PUBLIC_DIR, 'console.js'),
    // graphql-ws' own browser build (UMD, the global `graphqlWs`), served from node_modules
    'graphql-ws.min.js': () => join(dirname(require.resolve('graphql-ws')), '..', 'umd', 'graphql-ws.min.js'),
  };
}

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
};

export function registerConsole(fastify: FastifyInstance, options: { enabled: boolean }): void {
  if (!options.enabled) return; // the routes do not exist: 404 like any unknown path
  const files = new Map<string, ConsoleFile>();
  for (const [name, locate] of Object.entries(consoleFiles())) {
    const path = locate();
    files.set(name, { body: readFileSync(path), type: TYPES[path.slice(path.lastIndexOf('.') + 1)] });
  }
  const send = (reply: FastifyReply, file: ConsoleFile) =>
    reply
      .header('content-type', file.type)
      .header('content-security-policy', CONSOLE_CSP)
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(file.body);

  const page = files.get('')!;
  fastify.get(CONSOLE_PATH, async (_request, reply) => send(reply, page));
  try {
    fastify.get(`${CONSOLE_PATH}/`, async (_request, reply) => send(reply, page));
  } catch (error) {
    // a server that ignores trailing slashes has this route already
    if ((error as { code?: string }).code !== 'FST_ERR_DUPLICATED_ROUTE') throw error;
  }
  for (const [name, file] of files) {
    if (name !== '') fastify.get(`${CONSOLE_PATH}/${name}`, async (_request, reply) => send(reply, file));
  }
}
