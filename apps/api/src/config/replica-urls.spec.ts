import { ConfigError, loadConfig } from './app-config';

describe('DATABASE_REPLICA_URLS', () => {
  it('is empty when unset or blank', () => {
    expect(loadConfig({}).database.replicaUrls).toEqual([]);
    expect(loadConfig({ DATABASE_REPLICA_URLS: '  ' }).database.replicaUrls).toEqual([]);
  });

  it('lists each comma-separated postgres URL, trimmed', () => {
    expect(
      loadConfig({ DATABASE_REPLICA_URLS: 'postgres://app@replica-1:5432/plans , postgresql://app:secret@replica-2/plans' }).database
        .replicaUrls,
    ).toEqual(['postgres://app@replica-1:5432/plans', 'postgresql://app:secret@replica-2/plans']);
  });

  it.each([
    ['an empty item', 'postgres://a/db,,postgres://b/db', /item 2 is empty/],
    ['a trailing comma', 'postgres://a/db,', /item 2 is empty/],
    ['another scheme', 'mysql://a/db', /item 1 is not a postgres:\/\/ or postgresql:\/\/ URL/],
    ['a host and port', 'replica-1:5432', /item 1 is not a postgres/],
    ['text', 'not a url', /item 1 is not a postgres/],
    ['17 URLs', Array.from({ length: 17 }, (_, i) => `postgres://r${i}/db`).join(','), /lists 17 URLs; at most 16/],
    ['a 2,100-character URL', `postgres://r/${'x'.repeat(2100)}`, /item 1 is longer than 2048 characters/],
  ])('refuses %s', (_label, value, message) => {
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: value })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: value })).toThrow(message);
  });

  it('names a bad item by position, never with its password', () => {
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: 'postgres://a/db,mysql://app:hunter2@b/db' })).toThrow(/item 2 is not a postgres/);
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: 'postgres://a/db,mysql://app:hunter2@b/db' })).not.toThrow(/hunter2/);
  });
});
