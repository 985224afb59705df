import winston from 'winston';
import { InvalidOptionError } from 'tracelink';
import { resolveCommonMapping } from '../../../transports/mapping/mapping-options.js';
import { thrownBy, capturePino } from './record-capture.js';
import { SeverityNumber as S } from '@opentelemetry/api-logs';
import { mapPinoRecord, resolvePinoMapping } from '../../../transports/mapping/pino.js';
import { mapWinstonRecord, resolveWinstonMapping } from '../../../transports/mapping/winston.js';

describe('resolveCommonMapping', () => {
  describe('with no options', () => {
    it('fills in the defaults', () => {
      expect(resolveCommonMapping({})).toEqual({
        severityOverrides: new Map(),
        flattenAttributes: false,
        recordUid: false,
        limits: { maxStringLength: 1_048_576, maxDepth: 32 },
      });
    });
  });

  describe('with valid options', () => {
    it('keeps them', () => {
      const resolved = resolveCommonMapping({
        severityOverrides: { audit: 11 },
        flattenAttributes: true,
        recordUid: true,
        maxStringLength: 10,
        maxDepth: 1000,
      });
      expect(resolved).toEqual({
        severityOverrides: new Map([['audit', 11]]),
        flattenAttributes: true,
        recordUid: true,
        limits: { maxStringLength: 10, maxDepth: 1000 },
      });
    });
  });

  describe('with invalid options', () => {
    it.each<[string, Record<string, unknown>, string]>([
      ['flattenAttributes not a boolean', { flattenAttributes: 'yes' }, 'flattenAttributes'],
      ['recordUid not a boolean', { recordUid: 1 }, 'recordUid'],
      ['maxStringLength 0', { maxStringLength: 0 }, 'maxStringLength'],
      ['maxStringLength fractional', { maxStringLength: 1.5 }, 'maxStringLength'],
      ['maxStringLength a string', { maxStringLength: '10' }, 'maxStringLength'],
      ['maxDepth 0', { maxDepth: 0 }, 'maxDepth'],
      ['maxDepth above 1000', { maxDepth: 1001 }, 'maxDepth'],
      ['maxDepth NaN', { maxDepth: NaN }, 'maxDepth'],
      ['severityOverrides an array', { severityOverrides: [9] }, 'severityOverrides'],
      ['a severity above 24', { severityOverrides: { audit: 25 } }, 'severityOverrides.audit'],
      ['a negative severity', { severityOverrides: { audit: -1 } }, 'severityOverrides.audit'],
      ['a fractional severity', { severityOverrides: { audit: 9.5 } }, 'severityOverrides.audit'],
      ['a severity name', { severityOverrides: { audit: 'INFO' } }, 'severityOverrides.audit'],
    ])('throws InvalidOptionError for %s', (_case, options, option) => {
      const error = thrownBy(() => resolveCommonMapping(options));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).option).toBe(option);
    });
  });
});

const severities = (mapping: ReturnType<typeof resolvePinoMapping>) =>
  Object.fromEntries([...mapping.byLabel].map(([name, s]) => [name, s.severityNumber]));

describe('resolvePinoMapping', () => {
  describe('with no options', () => {
    it('uses pino’s keys and levels', () => {
      const mapping = resolvePinoMapping();
      expect(mapping).toMatchObject({ messageKey: 'msg', errorKey: 'err' });
      expect(severities(mapping)).toEqual({
        trace: S.TRACE,
        debug: S.DEBUG,
        info: S.INFO,
        warn: S.WARN,
        error: S.ERROR,
        fatal: S.FATAL,
      });
    });
  });

  describe('with custom levels', () => {
    it('merges customLevels onto pino’s defaults', () => {
      const mapping = resolvePinoMapping({ customLevels: { audit: 35, panic: 70 } });
      expect(severities(mapping)).toMatchObject({ audit: S.INFO3, panic: S.FATAL4, info: S.INFO });
      expect(mapping.byValue.get(35)?.severityText).toBe('audit');
    });

    it('takes a real logger’s `levels` as they are', () => {
      const { logger } = capturePino({
        customLevels: { audit: 35 },
        useOnlyCustomLevels: true,
        level: 'audit',
      });
      const mapping = resolvePinoMapping({ levels: logger.levels });
      expect(severities(mapping)).toEqual({ audit: S.INFO3 });
    });

    it('lets a custom name take over a standard number, as pino does', () => {
      const mapping = resolvePinoMapping({ customLevels: { notice: 30 } });
      expect(mapping.byValue.get(30)?.severityText).toBe('notice');
    });
  });

  describe('with severityOverrides', () => {
    it('lets them win over the placement', () => {
      const mapping = resolvePinoMapping({
        customLevels: { audit: 35 },
        severityOverrides: { audit: S.WARN, fatal: S.FATAL4 },
      });
      expect(severities(mapping)).toMatchObject({ audit: S.WARN, fatal: S.FATAL4 });
    });
  });

  describe('with invalid options', () => {
    it.each<[string, unknown, string]>([
      ['options not an object', 'msg', 'options'],
      ['an empty messageKey', { messageKey: '' }, 'messageKey'],
      ['a numeric errorKey', { errorKey: 1 }, 'errorKey'],
      ['levels not an object', { levels: [] }, 'levels'],
      ['levels.values not an object', { levels: { values: 'x' } }, 'levels.values'],
      ['a level that is not a number', { customLevels: { audit: '35' } }, 'customLevels.audit'],
      ['a NaN level', { customLevels: { audit: NaN } }, 'customLevels.audit'],
      [
        'a label that is not a name',
        { levels: { values: {}, labels: { 30: 1 } } },
        'levels.labels.30',
      ],
      ['an invalid shared option', { maxDepth: -1 }, 'maxDepth'],
    ])('throws InvalidOptionError for %s', (_case, options, option) => {
      const error = thrownBy(() => resolvePinoMapping(options as never));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).option).toBe(option);
    });
  });
});

const winstonSeverities = (mapping: ReturnType<typeof resolveWinstonMapping>) =>
  Object.fromEntries([...mapping.severities].map(([name, s]) => [name, s.severityNumber]));

describe('resolveWinstonMapping', () => {
  describe('with no options', () => {
    it('uses winston’s npm levels', () => {
      expect(winstonSeverities(resolveWinstonMapping())).toEqual({
        error: S.ERROR,
        warn: S.WARN,
        info: S.INFO,
        http: S.DEBUG3,
        verbose: S.DEBUG2,
        debug: S.DEBUG,
        silly: S.TRACE,
      });
    });
  });

  describe('with a level set', () => {
    it('recognises syslog', () => {
      const mapping = resolveWinstonMapping({ levels: winston.config.syslog.levels });
      expect(winstonSeverities(mapping)).toMatchObject({ emerg: S.FATAL, notice: S.INFO2 });
    });

    it('places a custom set by rank', () => {
      const mapping = resolveWinstonMapping({ levels: { error: 0, audit: 1, info: 2 } });
      expect(winstonSeverities(mapping)).toEqual({ error: S.ERROR, audit: S.INFO2, info: S.INFO });
    });
  });

  describe('with severityOverrides', () => {
    it('lets them win, keeping the level name as severityText', () => {
      const mapping = resolveWinstonMapping({ severityOverrides: { http: S.INFO } });
      expect(mapping.severities.get('http')).toEqual({
        severityNumber: S.INFO,
        severityText: 'http',
      });
    });
  });

  describe('with invalid options', () => {
    it.each<[string, unknown, string]>([
      ['options not an object', null, 'options'],
      ['levels an array', { levels: [0, 1] }, 'levels'],
      ['empty levels', { levels: {} }, 'levels'],
      ['a rank that is not a number', { levels: { error: '0' } }, 'levels.error'],
      ['an infinite rank', { levels: { error: Infinity } }, 'levels.error'],
      ['an invalid shared option', { maxStringLength: 0 }, 'maxStringLength'],
    ])('throws InvalidOptionError for %s', (_case, options, option) => {
      const error = thrownBy(() => resolveWinstonMapping(options as never));
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).option).toBe(option);
    });
  });
});

describe('recordUid', () => {
  const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
  const DIGITS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const timeOf = (uid: string) =>
    [...uid.slice(0, 10)].reduce((t, c) => t * 32 + DIGITS.indexOf(c), 0);

  const mapPinoLines = (options: { recordUid?: boolean }, count: number) => {
    const { logger, lines } = capturePino();
    for (let i = 0; i < count; i++) logger.info({ i }, 'hi');
    const mapping = resolvePinoMapping(options);
    return lines.map((line) => mapPinoRecord(line, mapping));
  };

  it('gives every record of a pino logger its own ULID, stamped with the mapping time', () => {
    const before = Date.now();
    const records = mapPinoLines({ recordUid: true }, 500);
    const uids = records.map((record) => record.attributes['log.record.uid'] as string);
    for (const uid of uids) expect(uid).toMatch(ULID);
    expect(new Set(uids).size).toBe(500);
    expect(timeOf(uids[0])).toBeGreaterThanOrEqual(before);
    expect(timeOf(uids[0])).toBeLessThanOrEqual(Date.now());
  });

  it('is off by default', () => {
    const [record] = mapPinoLines({}, 1);
    expect(record.attributes).not.toHaveProperty(['log.record.uid']);
  });

  it('gives a winston record one too', () => {
    const mapping = resolveWinstonMapping({ recordUid: true });
    const record = mapWinstonRecord({ level: 'info', message: 'hi' }, mapping);
    expect(record.attributes['log.record.uid']).toMatch(ULID);
  });
});
