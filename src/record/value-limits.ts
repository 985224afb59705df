/**
 * How much of a value is kept; resolved from `maxStringLength` and `maxDepth`.
 *
 * @example
 * ```ts
 * const limits: ValueLimits = { maxStringLength: 1_048_576, maxDepth: 32 };
 * ```
 */
export interface ValueLimits {
  /** Strings (in UTF-16 code units) and byte arrays longer than this are cut. */
  readonly maxStringLength: number;
  /** Objects and arrays nested deeper than this become `"[Truncated: depth]"`. */
  readonly maxDepth: number;
}
