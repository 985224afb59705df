import { SeverityNumber, SeverityNumber as S } from '@opentelemetry/api-logs';
import { readOwn } from './safe-values.js';

/**
 * The two severity fields of a record, computed once per level when the mapping is resolved.
 *
 * @example
 * ```ts
 * const info: LevelSeverity = { severityNumber: SeverityNumber.INFO, severityText: 'info' };
 * ```
 */
export interface LevelSeverity {
  readonly severityNumber: SeverityNumber;
  /** The level's own name (`info`, `audit`), or a pino level number as a string. */
  readonly severityText: string;
}

/**
 * pino's built-in levels (`pino.levels.values`); custom levels are merged onto these.
 *
 * @example
 * ```ts
 * PINO_DEFAULT_LEVELS.warn; // 40
 * ```
 */
export const PINO_DEFAULT_LEVELS: Readonly<Record<string, number>> = Object.freeze({
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
});

// pino's standard levels are 10 apart; each starts one of the data model's six ranges of
// four numbers (TRACE 1–4 … FATAL 21–24).
const PINO_STEP = 10;
const RANGE_WIDTH = 4;

/**
 * The SeverityNumber of a pino level number, placed by rank. The rule:
 * - the six standard levels start their ranges: 10 → TRACE (1), 20 → DEBUG (5),
 *   30 → INFO (9), 40 → WARN (13), 50 → ERROR (17), 60 → FATAL (21);
 * - a level between two standard levels `s` and `s + 10` lands in `s`'s range, above it, by
 *   thirds of the gap: `s`'s number + ⌈(level − s) × 3 / 10⌉, i.e. +1 for 1–3 above `s`, +2
 *   for 4–6, +3 for 7–9 (35 → INFO3, 11; 45 → WARN3, 15);
 * - above 60 the same steps reach into FATAL2–FATAL4 (61–63 → 22, 64–66 → 23, ≥ 67 → 24);
 * - at or below 10 → TRACE (1);
 * - not a finite number (pino's `silent` is `Infinity`) → UNSPECIFIED (0).
 *
 * Ranks, not names: a custom `{ notice: 35 }` sits between info and warn wherever it is
 * declared, and severity comparisons across levels stay in pino's own order.
 *
 * @example
 * ```ts
 * pinoSeverityNumber(30); // SeverityNumber.INFO (9)
 * pinoSeverityNumber(35); // SeverityNumber.INFO3 (11)
 * ```
 */
export function pinoSeverityNumber(level: number): SeverityNumber {
  if (!Number.isFinite(level)) return SeverityNumber.UNSPECIFIED;
  if (level <= PINO_STEP) return SeverityNumber.TRACE;
  // 0 = trace … 5 = fatal; every level above fatal is measured from fatal.
  const band = Math.min(Math.floor(level / PINO_STEP) - 1, 5);
  const above = level - (band + 1) * PINO_STEP;
  const steps = Math.min(Math.ceil((above * (RANGE_WIDTH - 1)) / PINO_STEP), RANGE_WIDTH - 1);
  return SeverityNumber.TRACE + band * RANGE_WIDTH + steps;
}

/**
 * A winston level set: level name → rank, where 0 is the most severe.
 *
 * @example
 * ```ts
 * const levels: WinstonLevels = { error: 0, warn: 1, audit: 2, info: 3 };
 * ```
 */
export type WinstonLevels = Readonly<Record<string, number>>;

/**
 * One of winston's built-in level sets with the SeverityNumber of each of its levels.
 *
 * @example
 * ```ts
 * const set: WinstonLevelSet = NPM_LEVEL_SET;
 * ```
 */
export interface WinstonLevelSet {
  readonly name: 'npm' | 'syslog' | 'cli';
  /** The set as `winston.config[name].levels` defines it. */
  readonly levels: WinstonLevels;
  readonly severities: Readonly<Record<string, S>>;
}

/**
 * winston's default `npm` levels. `http` and `verbose` sit between `info` and `debug`:
 * DEBUG3 (7) and DEBUG2 (6), the numbers `@opentelemetry/winston-transport` gives them, so
 * moving between the two transports keeps every record's severity.
 *
 * @example
 * ```ts
 * NPM_LEVEL_SET.severities.http; // SeverityNumber.DEBUG3
 * ```
 */
export const NPM_LEVEL_SET: WinstonLevelSet = {
  name: 'npm',
  levels: { error: 0, warn: 1, info: 2, http: 3, verbose: 4, debug: 5, silly: 6 },
  severities: {
    error: S.ERROR,
    warn: S.WARN,
    info: S.INFO,
    http: S.DEBUG3,
    verbose: S.DEBUG2,
    debug: S.DEBUG,
    silly: S.TRACE,
  },
};

/**
 * winston's `syslog` levels (RFC 5424 severities), mapped as the OpenTelemetry logs data
 * model's "Appendix B: SeverityNumber example mappings" (data-model-appendix.md) lists them:
 * Emergency → FATAL, Alert → ERROR3, Critical → ERROR2, Error → ERROR, Warning → WARN,
 * Notice → INFO2, Informational → INFO, Debug → DEBUG.
 *
 * @example
 * ```ts
 * SYSLOG_LEVEL_SET.severities.crit; // SeverityNumber.ERROR2
 * ```
 */
export const SYSLOG_LEVEL_SET: WinstonLevelSet = {
  name: 'syslog',
  levels: { emerg: 0, alert: 1, crit: 2, error: 3, warning: 4, notice: 5, info: 6, debug: 7 },
  severities: {
    emerg: S.FATAL,
    alert: S.ERROR3,
    crit: S.ERROR2,
    error: S.ERROR,
    warning: S.WARN,
    notice: S.INFO2,
    info: S.INFO,
    debug: S.DEBUG,
  },
};

/**
 * winston's `cli` levels, placed by rank: `help` and `data` rank between `warn` and `info`
 * (INFO3, INFO2); `prompt`, `verbose` and `input` rank below `debug` (unlike npm's verbose)
 * and above `silly`, so TRACE4, TRACE3, TRACE2.
 *
 * @example
 * ```ts
 * CLI_LEVEL_SET.severities.verbose; // SeverityNumber.TRACE3
 * ```
 */
export const CLI_LEVEL_SET: WinstonLevelSet = {
  name: 'cli',
  levels: {
    error: 0,
    warn: 1,
    help: 2,
    data: 3,
    info: 4,
    debug: 5,
    prompt: 6,
    verbose: 7,
    input: 8,
    silly: 9,
  },
  severities: {
    error: S.ERROR,
    warn: S.WARN,
    help: S.INFO3,
    data: S.INFO2,
    info: S.INFO,
    debug: S.DEBUG,
    prompt: S.TRACE4,
    verbose: S.TRACE3,
    input: S.TRACE2,
    silly: S.TRACE,
  },
};

/**
 * The level names whose severity is the same wherever they appear: they anchor the placement
 * of a custom set. `verbose` anchors at npm's DEBUG2; where a set ranks it below `debug` (as
 * cli does) the anchor is out of order and ignored.
 *
 * @example
 * ```ts
 * WELL_KNOWN_LEVELS.get('notice'); // SeverityNumber.INFO2
 * ```
 */
export const WELL_KNOWN_LEVELS: ReadonlyMap<string, S> = new Map([
  ['fatal', S.FATAL],
  ['emerg', S.FATAL],
  ['emergency', S.FATAL],
  ['alert', S.ERROR3],
  ['crit', S.ERROR2],
  ['critical', S.ERROR2],
  ['error', S.ERROR],
  ['err', S.ERROR],
  ['warn', S.WARN],
  ['warning', S.WARN],
  ['notice', S.INFO2],
  ['info', S.INFO],
  ['http', S.DEBUG3],
  ['verbose', S.DEBUG2],
  ['debug', S.DEBUG],
  ['trace', S.TRACE],
  ['silly', S.TRACE],
]);

// No level name is longer; a longer string is not looked up (no lower-casing of huge values).
const LONGEST_NAME = 32;

/**
 * Severity names a log line may carry that are not the logger's own level names: the RFC 5424
 * names, short (`crit`, `emerg`) and spelled out as Google Cloud's `LogSeverity` spells them
 * (`CRITICAL`, `EMERGENCY`; also `WARNING`, `NOTICE`, `ALERT`), mapped as the syslog levels are
 * (logs data model, Appendix B). Keys are lower case.
 */
const SEVERITY_NAMES: ReadonlyMap<string, SeverityNumber> = new Map([
  ...Object.entries(SYSLOG_LEVEL_SET.severities),
  ['critical', SYSLOG_LEVEL_SET.severities.crit],
  ['emergency', SYSLOG_LEVEL_SET.severities.emerg],
]);

/**
 * The SeverityNumber of a level name that is not one of the logger's own, matched without
 * regard to case: first against the logger's names (`byLowerName`: a formatter that writes
 * `label.toUpperCase()`), then against the RFC 5424 / Google Cloud names. `undefined` when
 * neither knows it.
 *
 * @example
 * ```ts
 * severityOfName('WARNING', new Map()); // SeverityNumber.WARN
 * severityOfName('ERROR', mapping.byLowerLabel); // the logger's `error` level
 * ```
 */
export function severityOfName(
  name: string,
  byLowerName: ReadonlyMap<string, { readonly severityNumber: SeverityNumber }>,
): SeverityNumber | undefined {
  if (name.length > LONGEST_NAME) return undefined;
  const lower = name.toLowerCase();
  return byLowerName.get(lower)?.severityNumber ?? SEVERITY_NAMES.get(lower);
}

// winston's level sets: placing a custom set by rank, and the level name of a record.

// Bounds outside the data model's numbers, so the free numbers of an edge segment are 1–24.
const BELOW_ALL = 0;
const ABOVE_ALL = SeverityNumber.FATAL4 + 1;

/**
 * Places a custom winston level set on SeverityNumbers by rank (0 = most severe). The rule:
 * 1. Levels of equal rank share one number.
 * 2. Anchors: a level with a well-known name (`error`, `warn`, `info`, `debug`, `notice`, …;
 *    see `WELL_KNOWN_LEVELS`) keeps its usual number — if that number is below the anchor
 *    ranked above it; an anchor out of order is ignored.
 * 3. Every other level takes the numbers just above the next less severe anchor, one step
 *    per rank (`audit` ranked between `warn` and `info` → INFO2, 10: the INFO range, above
 *    INFO, as the data model's ranges run from one level up to the next). When the free
 *    numbers run out, the most severe levels of that gap share the highest free number.
 *    Below the least severe anchor the numbers start at TRACE (1).
 * 4. A set with no well-known name at all says nothing about severity: every level is
 *    UNSPECIFIED (0) — name them with `severityOverrides`.
 *
 * @example
 * ```ts
 * placeByRank({ error: 0, warn: 1, audit: 2, info: 3 });
 * // Map { error → 17, warn → 13, audit → 10, info → 9 }
 * ```
 */
export function placeByRank(levels: WinstonLevels): Map<string, SeverityNumber> {
  const names = Object.keys(levels);
  const ranks = [...new Set(names.map((name) => levels[name]))].sort((a, b) => a - b);
  const groups = ranks.map((rank) => names.filter((name) => levels[name] === rank));
  const anchors = anchorsOf(groups);
  const placed = new Map<string, SeverityNumber>();
  if (anchors.every((anchor) => anchor === undefined)) {
    for (const name of names) placed.set(name, SeverityNumber.UNSPECIFIED);
    return placed;
  }
  const upper = upperBoundsOf(anchors);
  let lower = BELOW_ALL;
  let steps = 0;
  // From the least severe level up, counting steps above the last anchor passed.
  for (let i = groups.length - 1; i >= 0; i--) {
    const anchor = anchors[i];
    let severity: number;
    if (anchor === undefined) {
      steps++;
      severity = Math.max(SeverityNumber.TRACE, Math.min(lower + steps, upper[i] - 1));
    } else {
      severity = anchor;
      lower = anchor;
      steps = 0;
    }
    for (const name of groups[i]) placed.set(name, severity);
  }
  return placed;
}

/** The accepted anchor of each rank group (most severe first), or `undefined`. */
function anchorsOf(groups: readonly (readonly string[])[]): (number | undefined)[] {
  let above: number = ABOVE_ALL;
  return groups.map((group) => {
    let anchor: number | undefined;
    for (const name of group) {
      const known: number | undefined = WELL_KNOWN_LEVELS.get(name);
      if (known !== undefined && known < above && (anchor === undefined || known > anchor)) {
        anchor = known;
      }
    }
    if (anchor !== undefined) above = anchor;
    return anchor;
  });
}

/** For each group, the nearest anchor ranked above it (more severe), or 25. */
function upperBoundsOf(anchors: readonly (number | undefined)[]): number[] {
  let above: number = ABOVE_ALL;
  return anchors.map((anchor) => {
    const bound = above;
    if (anchor !== undefined) above = anchor;
    return bound;
  });
}

const BUILT_IN_SETS: readonly WinstonLevelSet[] = [NPM_LEVEL_SET, SYSLOG_LEVEL_SET, CLI_LEVEL_SET];

/**
 * The SeverityNumber of every level of a winston level set: winston's `npm`, `syslog` and
 * `cli` sets are recognised (same names, same ranks) and take their tables; any other set is
 * placed by rank ({@link placeByRank}).
 *
 * @example
 * ```ts
 * winstonSeverities(winston.config.syslog.levels).get('notice'); // SeverityNumber.INFO2
 * ```
 */
export function winstonSeverities(levels: WinstonLevels): Map<string, SeverityNumber> {
  const builtIn = BUILT_IN_SETS.find((set) => sameLevels(set.levels, levels));
  return builtIn === undefined ? placeByRank(levels) : new Map(Object.entries(builtIn.severities));
}

function sameLevels(a: WinstonLevels, b: WinstonLevels): boolean {
  const names = Object.keys(a);
  return names.length === Object.keys(b).length && names.every((name) => a[name] === b[name]);
}

// triple-beam's LEVEL: the level as the logger set it, before any format (colorize) ran.
const LEVEL = Symbol.for('level');
// An SGR escape sequence as colorize() writes it (`\x1b[33mwarn\x1b[39m`). Built from the
// code point, so the source holds no control character.
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*m`, 'g');

/**
 * The level name of a winston `info`: `info[Symbol.for('level')]` when it is a string (never
 * colourised), else `info.level` with ANSI colour codes stripped, else `undefined`.
 *
 * @example
 * ```ts
 * winstonLevelName({ level: '\x1b[33mwarn\x1b[39m' }); // 'warn'
 * ```
 */
export function winstonLevelName(info: object): string | undefined {
  const level = readOwn(info, LEVEL);
  if (typeof level === 'string') return level;
  const field = readOwn(info, 'level');
  return typeof field === 'string' ? field.replace(ANSI_COLOUR, '') : undefined;
}
