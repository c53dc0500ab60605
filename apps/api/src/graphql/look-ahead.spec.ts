import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { selectsField } from './look-ahead';

// The info of the root field `plan` of a document.
function infoOf(document: string) {
  const parsed = parse(document);
  const operation = parsed.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    parsed.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const fieldNodes = operation.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
  return { fieldNodes, fragments };
}

describe('selectsField', () => {
  it.each([
    ['a direct sub-field', '{ plan(id: "1") { id progress { total } } }', true],
    ['an inline fragment', '{ plan(id: "1") { ... on Plan { progress { total } } } }', true],
    ['a named fragment', '{ plan(id: "1") { ...Page } } fragment Page on Plan { id progress { total } }', true],
    [
      'a fragment inside a fragment',
      '{ plan(id: "1") { ...A } } fragment A on Plan { ...B } fragment B on Plan { progress { total } }',
      true,
    ],
    ['no such field', '{ plan(id: "1") { id title } }', false],
    ['the name deeper down only', '{ plan(id: "1") { tasks { edges { node { progress: id } } } } }', false],
    ['an alias named like it', '{ plan(id: "1") { progress: title } }', false],
  ])('does answer for %s', (_, document, expected) => {
    expect(selectsField(infoOf(document), 'progress')).toBe(expected);
  });

  it('does stop at a fragment cycle instead of recursing forever', () => {
    const info = infoOf('{ plan(id: "1") { ...A } } fragment A on Plan { ...B } fragment B on Plan { ...A }');
    expect(selectsField(info, 'progress')).toBe(false);
  });
});
