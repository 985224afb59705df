import { SeverityNumber as S } from '@opentelemetry/api-logs';
import winston from 'winston';
import { placeByRank } from '../../transports/mapping/winston-severity.js';
import {
  CLI_LEVEL_SET,
  NPM_LEVEL_SET,
  SYSLOG_LEVEL_SET,
} from '../../transports/mapping/severity.js';
import { winstonSeverities } from '../../transports/mapping/winston-severity.js';

describe('winstonSeverities', () => {
  describe('with winston’s npm levels', () => {
    const severities = winstonSeverities(winston.config.npm.levels);
    it.each([
      ['error', S.ERROR],
      ['warn', S.WARN],
      ['info', S.INFO],
      ['http', S.DEBUG3],
      ['verbose', S.DEBUG2],
      ['debug', S.DEBUG],
      ['silly', S.TRACE],
    ])('maps %s to %d', (level, expected) => {
      expect(severities.get(level)).toBe(expected);
    });
  });

  describe('with winston’s syslog levels (OTel logs data model, Appendix B)', () => {
    const severities = winstonSeverities(winston.config.syslog.levels);
    it.each([
      ['emerg', S.FATAL],
      ['alert', S.ERROR3],
      ['crit', S.ERROR2],
      ['error', S.ERROR],
      ['warning', S.WARN],
      ['notice', S.INFO2],
      ['info', S.INFO],
      ['debug', S.DEBUG],
    ])('maps %s to %d', (level, expected) => {
      expect(severities.get(level)).toBe(expected);
    });
  });

  describe('with winston’s cli levels', () => {
    const severities = winstonSeverities(winston.config.cli.levels);
    it.each([
      ['error', S.ERROR],
      ['warn', S.WARN],
      ['help', S.INFO3],
      ['data', S.INFO2],
      ['info', S.INFO],
      ['debug', S.DEBUG],
      ['prompt', S.TRACE4],
      ['verbose', S.TRACE3],
      ['input', S.TRACE2],
      ['silly', S.TRACE],
    ])('maps %s to %d', (level, expected) => {
      expect(severities.get(level)).toBe(expected);
    });
  });

  describe('the built-in tables', () => {
    it.each([
      ['npm', NPM_LEVEL_SET, winston.config.npm.levels],
      ['syslog', SYSLOG_LEVEL_SET, winston.config.syslog.levels],
      ['cli', CLI_LEVEL_SET, winston.config.cli.levels],
    ])('list winston’s own %s set', (_name, set, levels) => {
      expect(set.levels).toEqual(levels);
    });

    it.each([
      ['npm', NPM_LEVEL_SET],
      ['syslog', SYSLOG_LEVEL_SET],
      ['cli', CLI_LEVEL_SET],
    ])('agree with the rank placement of custom sets (%s)', (_name, set) => {
      expect(Object.fromEntries(placeByRank(set.levels))).toEqual(set.severities);
    });
  });

  describe('with a custom set', () => {
    it('places it by rank', () => {
      const severities = winstonSeverities({ error: 0, warn: 1, audit: 2, info: 3, debug: 4 });
      expect(severities.get('audit')).toBe(S.INFO2);
    });
  });
});
