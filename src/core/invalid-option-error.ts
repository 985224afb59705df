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

/**
 * Throws {@link InvalidOptionError} for the first own name of `options` that is not in `known`:
 * a misspelt option is otherwise silently its default. The error suggests the known name it
 * most likely misspells (same letters in another case, or at most two edits away).
 *
 * @throws {InvalidOptionError} naming the unknown option.
 * @example
 * ```ts
 * checkOptionNames({ feilds: 'ecs' }, ['fields', 'baggage']);
 * // InvalidOptionError: invalid option `feilds`: expected a known option name (did you mean `fields`?), …
 * ```
 */
export function checkOptionNames(options: object, known: readonly string[]): void {
  for (const [name, value] of Object.entries(options)) {
    if (!known.includes(name)) {
      throw new InvalidOptionError(name, knownNameFor(name, known), value);
    }
  }
}

// What an unknown name was expected to be: the option it most likely misspells, if any.
function knownNameFor(name: string, known: readonly string[]): string {
  const lower = name.toLowerCase();
  const close = known.find(
    (candidate) => candidate.toLowerCase() === lower || editDistance(candidate, name) <= 2,
  );
  return close === undefined
    ? 'a known option name'
    : `a known option name (did you mean \`${close}\`?)`;
}

// Levenshtein distance, for names of a few dozen characters.
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
