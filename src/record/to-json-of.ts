/**
 * The `toJSON` method of `value`, or `undefined`. Never throws: a Proxy whose every read
 * throws has no readable toJSON, so its fields are read one by one (each unreadable one
 * becoming "[Unreadable]") instead of the whole value being lost.
 *
 * @example
 * ```ts
 * toJSONOf(new Date(0))?.call(new Date(0)); // '1970-01-01T00:00:00.000Z'
 * ```
 */
export function toJSONOf(value: object): ((this: unknown) => unknown) | undefined {
  try {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    return typeof toJSON === 'function' ? (toJSON as (this: unknown) => unknown) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether what a `toJSON()` returned has a `toJSON` of its own (a Date excepted: it is
 * converted as a Date). Such a result is taken field by field, so chains cannot loop.
 *
 * @example
 * ```ts
 * hasToJSON({ toJSON: () => 1 }); // true
 * ```
 */
export function hasToJSON(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Date) &&
    toJSONOf(value) !== undefined
  );
}
