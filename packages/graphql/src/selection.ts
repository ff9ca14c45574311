import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from "graphql";

/**
 * Whether the resolved field's selection asks for `path` (field names, each inside the one before),
 * through inline fragments and named fragments: so a resolver can read what the response shows
 * in the same statement as the record.
 */
export function selectsField(info: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">, path: readonly string[]): boolean {
  const within = (set: SelectionSetNode | undefined, rest: readonly string[]): boolean => {
    const [name, ...deeper] = rest;
    if (set === undefined || name === undefined) return rest.length === 0;
    return set.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name && (deeper.length === 0 || within(selection.selectionSet, deeper));
      if (selection.kind === Kind.INLINE_FRAGMENT) return within(selection.selectionSet, rest);
      return within(info.fragments[selection.name.value]?.selectionSet, rest);
    });
  };
  return info.fieldNodes.some((node) => within(node.selectionSet, path));
}
