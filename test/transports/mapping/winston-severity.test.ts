import winston from 'winston';
import { SeverityNumber as S } from '@opentelemetry/api-logs';
import {
  placeByRank,
  winstonSeverities,
  winstonLevelName,
} from '../../../transports/mapping/severity.js';
import {
  CLI_LEVEL_SET,
  NPM_LEVEL_SET,
  SYSLOG_LEVEL_SET,
} from '../../../transports/mapping/severity.js';

describe('placeByRank', () => {
  describe('with well-known names as anchors', () => {
    it.each([
      [
        'one level between warn and info',
        { error: 0, warn: 1, audit: 2, info: 3 },
        { error: S.ERROR, warn: S.WARN, audit: S.INFO2, info: S.INFO },
      ],
      [
        'two levels between warn and info',
        { warn: 0, high: 1, low: 2, info: 3 },
        { warn: S.WARN, high: S.INFO3, low: S.INFO2, info: S.INFO },
      ],
      [
        'more levels than free numbers (the most severe share the highest)',
        { warn: 0, a: 1, b: 2, c: 3, d: 4, e: 5, info: 6 },
        { warn: S.WARN, a: S.INFO4, b: S.INFO4, c: S.INFO4, d: S.INFO3, e: S.INFO2, info: S.INFO },
      ],
      [
        'a level above the most severe anchor',
        { panic: 0, error: 1, info: 2 },
        { panic: S.ERROR2, error: S.ERROR, info: S.INFO },
      ],
      [
        'levels below the least severe anchor',
        { info: 0, chatty: 1, noisy: 2 },
        { info: S.INFO, chatty: S.TRACE2, noisy: S.TRACE },
      ],
      [
        'levels of equal rank',
        { error: 0, warn: 1, warning: 1, info: 2 },
        { error: S.ERROR, warn: S.WARN, warning: S.WARN, info: S.INFO },
      ],
      [
        'an anchor out of order (debug ranked above error)',
        { debug: 0, error: 1, info: 2 },
        { debug: S.DEBUG, error: S.TRACE2, info: S.TRACE },
      ],
      [
        'ranks that are not consecutive',
        { error: 10, notice: 50, info: 70 },
        { error: S.ERROR, notice: S.INFO2, info: S.INFO },
      ],
    ])('places %s', (_case, levels, expected) => {
      expect(Object.fromEntries(placeByRank(levels))).toEqual(expected);
    });
  });

  describe('with no well-known name at all', () => {
    it('leaves every level UNSPECIFIED', () => {
      expect(Object.fromEntries(placeByRank({ high: 0, mid: 1, low: 2 }))).toEqual({
        high: S.UNSPECIFIED,
        mid: S.UNSPECIFIED,
        low: S.UNSPECIFIED,
      });
    });
  });
});

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

const LEVEL = Symbol.for('level');

describe('winstonLevelName', () => {
  it.each<[string, object, string | undefined]>([
    ['the level symbol first', { [LEVEL]: 'warn', level: '\u001b[33mwarn\u001b[39m' }, 'warn'],
    ['info.level without colours', { level: 'info' }, 'info'],
    [
      'info.level with colours stripped',
      { level: '\u001b[1m\u001b[31merror\u001b[39m\u001b[22m' },
      'error',
    ],
    ['nothing for a non-string level', { level: 3 }, undefined],
    ['nothing without a level', {}, undefined],
  ])('reads %s', (_case, info, expected) => {
    expect(winstonLevelName(info)).toBe(expected);
  });
});
