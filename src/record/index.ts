export type { MappedLogRecord } from './mapped-log-record.js';
export type { CommonMappingOptions, ResolvedCommonMapping } from './mapping-options.js';
export type { LevelSeverity } from './level-severity.js';
export { mapPinoRecord } from './map-pino-record.js';
export { resolvePinoMapping } from './resolve-pino-mapping.js';
export type {
  PinoLevels,
  PinoMappingOptions,
  ResolvedPinoMapping,
} from './resolve-pino-mapping.js';
export { mapWinstonRecord } from './map-winston-record.js';
export { resolveWinstonMapping } from './resolve-winston-mapping.js';
export type { ResolvedWinstonMapping, WinstonMappingOptions } from './resolve-winston-mapping.js';
export { pinoSeverityNumber, PINO_DEFAULT_LEVELS } from './pino-severity.js';
export { CLI_LEVEL_SET, NPM_LEVEL_SET, SYSLOG_LEVEL_SET } from './winston-level-sets.js';
export type { WinstonLevels, WinstonLevelSet } from './winston-level-sets.js';
export { CIRCULAR, TRUNCATED_DEPTH, UNREADABLE } from './placeholders.js';
export { toAnyValue } from './to-any-value.js';
export type { ValueLimits } from './value-limits.js';
