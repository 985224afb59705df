import { SeverityNumber } from '@opentelemetry/api-logs';
import { WELL_KNOWN_LEVELS, CLI_LEVEL_SET, NPM_LEVEL_SET, SYSLOG_LEVEL_SET } from './severity.js';
import type { WinstonLevels, WinstonLevelSet } from './severity.js';
import { readOwn } from './safe-values.js';

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
