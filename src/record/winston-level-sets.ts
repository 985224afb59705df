import { SeverityNumber as S } from '@opentelemetry/api-logs';

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
