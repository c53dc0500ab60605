// A string-keyed memo for the importer's pure lookups (slugs, agency keys, registry hits): the same
// few hundred spellings are asked for again and again within a plan. Bounded twice, so hostile
// input cannot grow it: keys longer than maxKeyLength are computed but not kept, and a full memo is
// emptied before the next entry.
export function boundedMemo<V>(compute: (key: string) => V, maxEntries: number, maxKeyLength: number): (key: string) => V {
  const memo = new Map<string, V>();
  return (key: string): V => {
    if (memo.has(key)) return memo.get(key) as V;
    const value = compute(key);
    if (key.length > maxKeyLength) return value;
    if (memo.size >= maxEntries) memo.clear();
    memo.set(key, value);
    return value;
  };
}
