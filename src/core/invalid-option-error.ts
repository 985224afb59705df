/**
 * Thrown when an option is invalid. Options are validated once, when a mixin, format or
 * reader is created — never on the logging path, which does not throw.
 *
 * @example
 * ```ts
 * try {
 *   pinoMixin({ fields: 'gcp' }); // no project id anywhere
 * } catch (error) {
 *   if (error instanceof InvalidOptionError) console.error(error.option, error.expected);
 * }
 * ```
 */
export class InvalidOptionError extends Error {
  override readonly name = 'InvalidOptionError';

  constructor(
    /** The option's name, e.g. `fields.traceId`. */
    readonly option: string,
    /** What the option accepts. */
    readonly expected: string,
    /** What was given. */
    readonly received: unknown,
  ) {
    super(
      `tracelink: invalid option \`${option}\`: expected ${expected}, received ${describe(received)}`,
    );
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
