import { parse } from 'graphql';
import { QUERY_LIMITS, limitQueryText, nestingDepth } from './query-limits';

describe('nestingDepth', () => {
  it.each([
    ['{ a }', 1],
    ['{ a { b { c } } }', 3],
    ['{ a(x: [[1]]) { b } }', 4],
    ['{ a(x: "{{{{{{") }', 2],
    ['{ a(x: "say \\"{{{\\"") }', 2],
    ['{ a(x: """ {{{{ "" {{ """) }', 2],
    ['# {{{{{{{\n{ a }', 1],
    ['}}}}{ a }', 1],
  ])('does measure %s as %i deep', (source, depth) => {
    expect(nestingDepth(source)).toBe(depth);
  });

  it('does refuse before parsing a document nested deeper than the limit, which would overflow the parser', async () => {
    const source = `{ me ${'{ a '.repeat(3000)}${'}'.repeat(3000)} }`;
    expect(() => parse(source)).toThrow(RangeError);
    await expect(limitQueryText(null, source)).rejects.toThrow(`nested more than ${QUERY_LIMITS.nesting}`);
  });

  it('does let a document at the limit through', async () => {
    const source = `${'{ a '.repeat(QUERY_LIMITS.nesting)}${'}'.repeat(QUERY_LIMITS.nesting)}`;
    await expect(limitQueryText(null, source)).resolves.toBeUndefined();
  });
});
