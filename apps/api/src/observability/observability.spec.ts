import { DomainError } from '../common/domain-error';
import { ConfigError, loadConfig } from '../config/app-config';
import { observeSweep, observeTransition } from './domain-events';
import { LineScrubber, REDACTED } from './log-redaction';
import { createLogger, PinoNestLogger } from './logger';
import { AppMetrics, MAX_OPERATION_NAMES, MAX_OPERATION_NAME_LENGTH } from './metrics';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2lnbmF0dXJlLXBhcnQ';

function captured(level: 'log' | 'debug' = 'log') {
  const lines: Record<string, unknown>[] = [];
  const destination = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
  const { logger, scrubber } = createLogger({ format: 'json', level, secrets: ['the-shared-jwt-secret-value'], destination });
  return { logger, scrubber, lines, text: () => JSON.stringify(lines) };
}

describe(LineScrubber.name, () => {
  it('does replace secrets, as written and as JSON escapes them, JWTs and Bearer credentials', () => {
    const scrubber = new LineScrubber();
    scrubber.addSecret('se"cret-value-1');
    const line = JSON.stringify({ msg: `a se"cret-value-1 b ${JWT} c`, header: 'Bearer abc.def-ghi' });
    const clean = scrubber.scrub(line);
    expect(clean).not.toContain('cret-value-1');
    expect(clean).not.toContain('c2lnbmF0dXJlLXBhcnQ');
    expect(clean).not.toContain('abc.def-ghi');
    expect(JSON.parse(clean)).toEqual({ msg: `a ${REDACTED} b ${REDACTED} c`, header: `Bearer ${REDACTED}` });
  });

  it('does ignore secrets too short to be told from ordinary words', () => {
    const scrubber = new LineScrubber();
    scrubber.addSecret('abc');
    expect(scrubber.scrub('{"msg":"abc"}')).toBe('{"msg":"abc"}');
  });
});

describe(PinoNestLogger.name, () => {
  it("does write Nest's messages as JSON with their context and level, and errors with their stack", () => {
    const { logger, lines } = captured();
    const nest = new PinoNestLogger(logger);
    nest.log('Started', 'Bootstrap');
    nest.debug('hidden at LOG_LEVEL=log', 'Bootstrap');
    const error = new Error('boom');
    nest.error('Unhandled error 42: boom', error.stack, 'GraphQL');
    expect(lines).toEqual([
      expect.objectContaining({ level: 'info', context: 'Bootstrap', msg: 'Started' }),
      expect.objectContaining({ level: 'error', context: 'GraphQL', msg: 'Unhandled error 42: boom', stack: error.stack }),
    ]);
  });

  it('does log an expected refusal at debug by its code, without its message or stack', () => {
    const { logger, lines, text } = captured('debug');
    new PinoNestLogger(logger).error(new DomainError('FORBIDDEN', 'report text that must not be logged'), 'ExceptionsHandler');
    expect(lines).toEqual([expect.objectContaining({ level: 'debug', code: 'FORBIDDEN', error: 'DomainError', msg: 'request refused' })]);
    expect(text()).not.toContain('report text');
  });

  it('does redact tokens, variables and report texts by field, and the secret by value', () => {
    const { logger, text } = captured();
    logger.info(
      { req: { headers: { authorization: `Bearer ${JWT}` } }, variables: { input: { report: 'x' } }, report: { summary: 'report text' } },
      'the-shared-jwt-secret-value was read',
    );
    expect(text()).not.toMatch(/report text|the-shared-jwt-secret-value|c2lnbmF0dXJlLXBhcnQ|"report":"x"/);
  });
});

describe(AppMetrics.name, () => {
  it('does bound operation names: anonymous, too long, and past the cap of distinct names', () => {
    const metrics = new AppMetrics(() => null);
    try {
      expect(metrics.operationLabel(null)).toBe('anonymous');
      expect(metrics.operationLabel('x'.repeat(MAX_OPERATION_NAME_LENGTH + 1))).toBe('other');
      for (let i = 0; i < MAX_OPERATION_NAMES; i += 1) expect(metrics.operationLabel(`Op${i}`)).toBe(`Op${i}`);
      expect(metrics.operationLabel('OneTooMany')).toBe('other');
      expect(metrics.operationLabel('Op7')).toBe('Op7');
    } finally {
      metrics.close();
    }
  });

  it('does keep each instance in its own registry and stop counting once closed', async () => {
    const first = new AppMetrics(() => ({ totalCount: 3, idleCount: 2, waitingCount: 1 }));
    const second = new AppMetrics(() => null);
    try {
      first.countRequest('GET', '/health', 200);
      observeTransition('START');
      observeTransition('VERIFY', new DomainError('FORBIDDEN', 'no'));
      observeSweep(4);
      second.close();
      observeTransition('START');
      const text = await first.metrics();
      expect(text).toContain('http_requests_total{method="GET",route="/health",status="200"} 1');
      expect(text).toContain('task_transitions_total{event="START",outcome="ok"} 2');
      expect(text).toContain('task_transitions_total{event="VERIFY",outcome="FORBIDDEN"} 1');
      expect(text).toContain('deadline_sweep_tasks_marked_total 4');
      expect(text).toMatch(/db_pool_waiting_clients 1\n/);
      expect(await second.metrics()).toBe('\n');
    } finally {
      first.close();
    }
  });
});

describe('observability settings', () => {
  const base = { AUTH_JWT_SECRET: undefined };
  it('does read LOG_FORMAT, METRICS_TOKEN and METRICS_PORT', () => {
    const config = loadConfig({ ...base, LOG_FORMAT: 'PRETTY', METRICS_TOKEN: 'a'.repeat(16), METRICS_PORT: '9464' });
    expect(config.logFormat).toBe('pretty');
    expect(config.metrics).toEqual({ token: 'a'.repeat(16), port: 9464 });
    expect(loadConfig({ ...base, NODE_ENV: 'production' })).toMatchObject({ logFormat: 'json', metrics: { token: null, port: null } });
  });

  it('does refuse a short METRICS_TOKEN without repeating it, a bad LOG_FORMAT and a METRICS_PORT equal to PORT', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short-token' })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_TOKEN: 'short-token' })).toThrow(
      /METRICS_TOKEN must be at least 16 characters, got a secret of 11 bytes/,
    );
    expect(() => loadConfig({ METRICS_TOKEN: 'short-token' })).not.toThrow(/short-token/);
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT must be json or pretty, got "xml"/);
    expect(() => loadConfig({ METRICS_PORT: '3000' })).toThrow(/METRICS_PORT must be a port other than PORT \(3000\)/);
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT must be an integer between 1 and 65535/);
  });
});
