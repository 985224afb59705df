/**
 * The strings that stand in for a value that cannot be carried as it is. Fixed strings, so a
 * backend query (`attributes.user = "[Circular]"`) finds every occurrence.
 *
 * @example
 * ```ts
 * if (record.attributes.self === CIRCULAR) console.log('the record referred to itself');
 * ```
 */
export const CIRCULAR = '[Circular]';

/**
 * Stands in for a field whose getter (or Proxy trap) threw while it was read.
 *
 * @example
 * ```ts
 * if (record.attributes.user === UNREADABLE) console.log('user could not be read');
 * ```
 */
export const UNREADABLE = '[Unreadable]';

/**
 * Stands in for an object or array nested deeper than `maxDepth`.
 *
 * @example
 * ```ts
 * if (record.attributes.deep === TRUNCATED_DEPTH) console.log('raise maxDepth');
 * ```
 */
export const TRUNCATED_DEPTH = '[Truncated: depth]';

/**
 * Returned by `readOwn` when reading threw; distinct from every value a field can hold.
 *
 * @example
 * ```ts
 * const value = readOwn(record, 'user');
 * if (value === UNREADABLE_FIELD) console.log('the getter threw');
 * ```
 */
export const UNREADABLE_FIELD: unique symbol = Symbol('tracelink.unreadable-field');
