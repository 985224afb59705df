import type { SeverityNumber } from '@opentelemetry/api-logs';
import { placeByRank } from './place-by-rank.js';
import { CLI_LEVEL_SET, NPM_LEVEL_SET, SYSLOG_LEVEL_SET } from './winston-level-sets.js';
import type { WinstonLevelSet, WinstonLevels } from './winston-level-sets.js';

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
