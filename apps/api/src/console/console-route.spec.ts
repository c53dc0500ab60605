import Fastify from 'fastify';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { CONSOLE_CSP, registerConsole } from './console-route';

// The routes alone (the page in a browser: test/browser/console.browser-spec.ts, `npm run test:browser`).
describe('registerConsole', () => {
  // over real HTTP (Fastify's inject pulls in an ESM-only module jest 29 does not load)
  async function app(enabled: boolean) {
    const fastify = Fastify();
    registerConsole(fastify, { enabled });
    const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
    return {
      get: async (url: string) => {
        const response = await fetch(`${base}${url}`);
        return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
      },
      close: () => fastify.close(),
    };
  }

  it('does serve the page, its script, its style and the graphql-ws browser build, each under the console CSP', async () => {
    const fastify = await app(true);
    const types: Record<string, string> = {
      '/console': 'text/html; charset=utf-8',
      '/console/': 'text/html; charset=utf-8',
      '/console/console.js': 'text/javascript; charset=utf-8',
      '/console/console.css': 'text/css; charset=utf-8',
      '/console/graphql-ws.min.js': 'text/javascript; charset=utf-8',
    };
    for (const [url, type] of Object.entries(types)) {
      const response = await fastify.get(url);
      expect({ url, status: response.statusCode, type: response.headers['content-type'] }).toEqual({ url, status: 200, type });
      expect(response.headers['content-security-policy']).toBe(CONSOLE_CSP);
    }
    const script = await fastify.get('/console/console.js');
    expect(script.body).toBe(readFileSync(join(__dirname, 'public', 'console.js'), 'utf8'));
    expect((await fastify.get('/console/graphql-ws.min.js')).body).toContain('graphqlWs');
    await fastify.close();
  });

  it('does serve /console/ also on a server that ignores trailing slashes', async () => {
    const fastify = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
    registerConsole(fastify, { enabled: true });
    const base = await fastify.listen({ port: 0, host: '127.0.0.1' });
    expect((await fetch(`${base}/console/`)).status).toBe(200);
    expect((await fetch(`${base}/console`)).status).toBe(200);
    await fastify.close();
  });

  it('does answer 404 for any other path under /console, and for every path when disabled', async () => {
    const enabled = await app(true);
    for (const url of ['/console/index.html', '/console/../package.json', '/console/console-route.ts', '/console/public/console.js']) {
      expect({ url, status: (await enabled.get(url)).statusCode }).toEqual({ url, status: 404 });
    }
    await enabled.close();
    const disabled = await app(false);
    for (const url of ['/console', '/console/', '/console/console.js', '/console/graphql-ws.min.js']) {
      expect({ url, status: (await disabled.get(url)).statusCode }).toEqual({ url, status: 404 });
    }
    await disabled.close();
  });

  it('does keep the page free of inline scripts and handlers, which the CSP would refuse', () => {
    const html = readFileSync(join(__dirname, 'public', 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe');
    // data reaches the page as text only
    expect(readFileSync(join(__dirname, 'public', 'console.js'), 'utf8')).not.toMatch(
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write/,
    );
  });
});

describe('config.console.enabled (CONSOLE_ENABLED)', () => {
  it('does default to on outside production and off in production', () => {
    expect(loadConfig({}).console).toEqual({ enabled: true });
    expect(loadConfig({ NODE_ENV: 'production' }).console).toEqual({ enabled: false });
  });

  it('does follow CONSOLE_ENABLED either way and refuse anything but true or false', () => {
    expect(loadConfig({ NODE_ENV: 'production', CONSOLE_ENABLED: 'true' }).console).toEqual({ enabled: true });
    expect(loadConfig({ CONSOLE_ENABLED: 'false' }).console).toEqual({ enabled: false });
    expect(() => loadConfig({ CONSOLE_ENABLED: 'yes' })).toThrow('CONSOLE_ENABLED must be true or false, got "yes"');
  });
});
