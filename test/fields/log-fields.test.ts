import { setTimeout as sleep } from 'node:timers/promises';
import { context, diag, DiagLogLevel, propagation } from '@opentelemetry/api';
import pino from 'pino';
import winston from 'winston';
import {
  createTraceFields,
  getLogFields,
  InvalidOptionError,
  logFieldStats,
  setLogFields,
  withLogFields,
} from 'tracelink';
import type { LogFields } from 'tracelink';
import { pinoMixin, pinoSpanLogger } from 'tracelink/pino';
import { captureTraceContext, traceFormat, traceJson } from 'tracelink/winston';
import { CaptureStream } from '../helpers/capture-stream.js';
import { captureWinston } from '../helpers/winston-capture.js';
import { otelFieldsOf, useTracing } from '../helpers/tracing.js';

const tracing = useTracing();
const { combine, json } = winston.format;

function pinoLines(options: Parameters<typeof pinoMixin>[0] = {}) {
  const stream = new CaptureStream();
  const logger = pino({ mixin: pinoMixin(options) }, stream);
  return { logger, lines: stream.lines, raw: stream.raw };
}

/** Collects what tracelink reports through `diag` while `fn` runs. */
function diagDuring(fn: () => void): string[] {
  const messages: string[] = [];
  const collect = (message: string) => void messages.push(message);
  diag.setLogger(
    { error: collect, warn: collect, info: collect, debug: collect, verbose: collect },
    DiagLogLevel.WARN,
  );
  try {
    fn();
  } finally {
    diag.disable();
  }
  return messages;
}

describe('withLogFields', () => {
  describe('with pinoMixin', () => {
    it('stamps the fields on every line inside the scope, and none outside', () => {
      const { logger, lines } = pinoLines();
      withLogFields({ tenant: 'acme', orderId: 42, vip: true }, () => logger.info('inside'));
      logger.info('outside');
      expect(lines[0]).toMatchObject({ tenant: 'acme', orderId: 42, vip: true, msg: 'inside' });
      expect(lines[1]).not.toHaveProperty('tenant');
    });

    it('writes them after the trace fields of the active span', () => {
      const { logger, raw } = pinoLines();
      const span = tracing.tracer.startActiveSpan('op', (span) => {
        withLogFields({ tenant: 'acme' }, () => logger.info('x'));
        span.end();
        return span;
      });
      const { trace_id, span_id } = otelFieldsOf(span);
      expect(raw[0]).toContain(
        `"trace_id":"${trace_id}","span_id":"${span_id}","trace_flags":"01","tenant":"acme"`,
      );
    });

    it('reaches lines logged after an await and in callbacks started inside the scope', async () => {
      const { logger, lines } = pinoLines();
      await withLogFields({ tenant: 'acme' }, async () => {
        await sleep(1);
        logger.info('after await');
        await new Promise<void>((resolve) =>
          setTimeout(() => {
            logger.info('in a timer');
            resolve();
          }, 1),
        );
      });
      expect(lines.map((line) => line.tenant)).toEqual(['acme', 'acme']);
    });

    it('keeps concurrent scopes apart', async () => {
      const { logger, lines } = pinoLines();
      await Promise.all(
        ['a', 'b', 'c'].map((tenant, i) =>
          withLogFields({ tenant }, async () => {
            await sleep(3 - i);
            logger.info({ expected: tenant }, 'x');
          }),
        ),
      );
      expect(lines).toHaveLength(3);
      for (const line of lines) expect(line.tenant).toBe(line.expected);
    });

    it('lets the fields of the log call win over the scope’s', () => {
      const { logger, lines } = pinoLines();
      withLogFields({ tenant: 'acme' }, () => logger.info({ tenant: 'other' }, 'x'));
      expect(lines[0]?.tenant).toBe('other');
    });

    it('never replaces the trace fields of a custom profile', () => {
      const { logger, lines } = pinoLines({ fields: { traceId: 'tid', spanId: 'sid' } });
      const before = logFieldStats().dropped.shadowed;
      tracing.tracer.startActiveSpan('op', (span) => {
        withLogFields({ tid: 'forged', sid: 'forged', tenant: 'acme' }, () => logger.info('x'));
        span.end();
        expect(lines[0]).toMatchObject({
          tid: span.spanContext().traceId,
          sid: span.spanContext().spanId,
          tenant: 'acme',
        });
      });
      expect(logFieldStats().dropped.shadowed).toBe(before + 2);
    });

    it('composes with the user’s own mixin and with markSpanOnError', () => {
      const stream = new CaptureStream();
      const logger = pino(
        { mixin: pinoMixin({ mixin: () => ({ own: 1 }), markSpanOnError: true }) },
        stream,
      );
      withLogFields({ tenant: 'acme' }, () => logger.info('x'));
      expect(stream.lines[0]).toMatchObject({ own: 1, tenant: 'acme' });
    });
  });

  describe('nested scopes', () => {
    it('merge, the innermost value of a name winning in its old place', () => {
      const { logger, raw } = pinoLines();
      withLogFields({ tenant: 'acme', region: 'eu' }, () =>
        withLogFields({ orderId: 7, tenant: 'beta' }, () => logger.info('x')),
      );
      expect(raw[0]).toContain('"tenant":"beta","region":"eu","orderId":7');
    });

    it('leave an enclosing value when the inner one is undefined', () => {
      const fields: LogFields = { tenant: undefined, orderId: 1 };
      const seen = withLogFields({ tenant: 'acme' }, () => withLogFields(fields, getLogFields));
      expect(seen).toEqual({ tenant: 'acme', orderId: 1 });
    });

    it('end with their callback: the enclosing fields are back', () => {
      const seen = withLogFields({ tenant: 'acme' }, () => {
        withLogFields({ tenant: 'inner' }, () => undefined);
        return getLogFields();
      });
      expect(seen).toEqual({ tenant: 'acme' });
    });
  });

  describe('with the winston formats', () => {
    it('traceFormat writes them, the record’s own fields winning', async () => {
      const { logger, lines, finish } = captureWinston(combine(traceFormat(), json()));
      captureTraceContext(logger);
      withLogFields({ tenant: 'acme', orderId: 1 }, () => logger.info('x', { orderId: 2 }));
      await finish();
      expect(lines[0]).toEqual({ level: 'info', message: 'x', tenant: 'acme', orderId: 2 });
    });

    it('traceJson writes them once, also when the record has one of them itself', async () => {
      const { logger, raw, lines, finish } = captureWinston(traceJson());
      captureTraceContext(logger);
      tracing.tracer.startActiveSpan('op', (span) => {
        withLogFields({ tenant: 'acme', orderId: 1 }, () => {
          logger.info('plain');
          logger.info('own', { orderId: 2 });
        });
        span.end();
      });
      await finish();
      expect(lines[0]).toMatchObject({ message: 'plain', tenant: 'acme', orderId: 1 });
      expect(lines[1]).toMatchObject({ message: 'own', tenant: 'acme', orderId: 2 });
      expect(raw[1]?.match(/"orderId"/g)).toHaveLength(1);
    });

    it('a winston child logger’s metadata wins over the scope', async () => {
      const { logger, lines, finish } = captureWinston(traceJson());
      captureTraceContext(logger);
      withLogFields({ tenant: 'acme' }, () => logger.child({ tenant: 'child' }).info('x'));
      await finish();
      expect(lines[0]?.tenant).toBe('child');
    });

    it('the fields of the log call, not of the format’s time, when winston buffers', async () => {
      const { logger, lines, finish } = captureWinston(traceJson());
      captureTraceContext(logger);
      withLogFields({ tenant: 'acme' }, () => logger.info('x'));
      await withLogFields({ tenant: 'later' }, () => finish());
      expect(lines[0]?.tenant).toBe('acme');
    });
  });

  describe('with any other logger', () => {
    it('createTraceFields returns them, with no span active', () => {
      const read = createTraceFields();
      expect(withLogFields({ tenant: 'acme' }, () => read())).toEqual({ tenant: 'acme' });
      expect(read()).toEqual({});
    });
  });

  describe('with pinoSpanLogger', () => {
    it('leaves them out: a span’s child logger is made once for every scope in it', () => {
      const stream = new CaptureStream();
      const log = pinoSpanLogger(pino(stream));
      tracing.tracer.startActiveSpan('op', (span) => {
        withLogFields({ tenant: 'acme' }, () => log().info('x'));
        span.end();
      });
      expect(stream.lines[0]).not.toHaveProperty('tenant');
    });
  });

  describe('values and names', () => {
    // First in the file to meet these problems: diag reports the first of each kind.
    it('reports each kind of problem through diag', () => {
      const messages = diagDuring(() => {
        withLogFields({ a: null } as unknown as LogFields, () => undefined);
        withLogFields({ level: 'x' }, () => undefined);
        withLogFields({ '': 'x' }, () => undefined);
        withLogFields({ long: 'x'.repeat(2000) }, () => undefined);
        withLogFields(
          Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`f${i}`, i])),
          () => undefined,
        );
        withLogFields(42 as unknown as LogFields, () => undefined);
      });
      expect(messages).toHaveLength(6);
      for (const message of messages) expect(message).toContain('setting log fields');
    });

    it.each<[string, unknown, string]>([
      ['null', null, 'invalidValue'],
      ['an object', { a: 1 }, 'invalidValue'],
      ['an array', [1], 'invalidValue'],
      ['a BigInt', 10n, 'invalidValue'],
      ['NaN', Number.NaN, 'invalidValue'],
      ['Infinity', Number.POSITIVE_INFINITY, 'invalidValue'],
      ['a function', () => 1, 'invalidValue'],
    ])('leaves out %s, counted', (_name, value, counter) => {
      const before = logFieldStats().dropped[counter as 'invalidValue'];
      const fields = withLogFields({ bad: value, good: 'kept' } as unknown as LogFields, () =>
        getLogFields(),
      );
      expect(fields).toEqual({ good: 'kept' });
      expect(logFieldStats().dropped[counter as 'invalidValue']).toBe(before + 1);
    });

    it.each([
      'level',
      'time',
      'msg',
      'message',
      'timestamp',
      'pid',
      'hostname',
      'trace_id',
      'span_id',
      'trace_flags',
      'traceId',
      'trace.id',
      'dd.trace_id',
      'logging.googleapis.com/trace',
      '__proto__',
    ])('leaves out the reserved name %s, counted', (name) => {
      const before = logFieldStats().dropped.reservedName;
      const fields = JSON.parse(`{${JSON.stringify(name)}:"forged","tenant":"acme"}`) as LogFields;
      const { logger, lines } = pinoLines();
      withLogFields(fields, () => logger.info('x'));
      expect(lines[0]?.tenant).toBe('acme');
      expect(lines[0]?.[name]).not.toBe('forged');
      expect(logFieldStats().dropped.reservedName).toBe(before + 1);
    });

    it('leaves out empty and over-long names', () => {
      const before = logFieldStats().dropped.invalidName;
      const fields = withLogFields({ '': 'x', ['n'.repeat(129)]: 'x', ok: 'y' }, getLogFields);
      expect(fields).toEqual({ ok: 'y' });
      expect(logFieldStats().dropped.invalidName).toBe(before + 2);
    });

    it('cuts strings longer than 1024 characters, counted', () => {
      const before = logFieldStats().truncated;
      const fields = withLogFields({ long: 'x'.repeat(5000) }, getLogFields);
      expect(fields.long).toBe('x'.repeat(1024));
      expect(logFieldStats().truncated).toBe(before + 1);
    });

    it('holds at most 32 fields, the rest left out, counted', () => {
      const before = logFieldStats().dropped.overLimit;
      const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, i]));
      const fields = withLogFields(many, () => withLogFields({ f0: 'replaced' }, getLogFields));
      expect(Object.keys(fields)).toHaveLength(32);
      expect(fields.f0).toBe('replaced');
      expect(logFieldStats().dropped.overLimit).toBe(before + 8);
    });

    it('sets nothing for fields that are not an object, counted, and still runs fn', () => {
      const before = logFieldStats().dropped.invalidFields;
      const result = withLogFields(null as unknown as LogFields, () => getLogFields());
      expect(result).toEqual({});
      expect(logFieldStats().dropped.invalidFields).toBe(before + 1);
    });

    it('throws InvalidOptionError when fn is not a function', () => {
      expect(() => withLogFields({}, 'nope' as unknown as () => void)).toThrow(InvalidOptionError);
    });

    it('passes arguments and the result through', () => {
      expect(withLogFields({ a: 1 }, (x: number, y: number) => x + y, 2, 3)).toBe(5);
    });
  });

  describe('setLogFields', () => {
    it('returns a context holding the fields, leaving the given one unchanged', () => {
      const base = context.active();
      const ctx = setLogFields(base, { tenant: 'acme' });
      expect(getLogFields(ctx)).toEqual({ tenant: 'acme' });
      expect(getLogFields(base)).toEqual({});
    });
  });

  describe('crossing to another service', () => {
    it('does not put the fields into the outgoing headers', () => {
      const headers: Record<string, string> = {};
      withLogFields({ tenant: 'acme' }, () => propagation.inject(context.active(), headers));
      expect(headers).toEqual({});
    });

    it('goes only through baggage that the receiving logger allow-lists', () => {
      // The sender puts the value into baggage itself; the receiver's `baggage` option lists it.
      const headers: Record<string, string> = {};
      withLogFields({ tenant: 'acme' }, () => {
        const baggage = propagation.createBaggage({ tenant: { value: 'acme' } });
        propagation.inject(propagation.setBaggage(context.active(), baggage), headers);
      });
      const received = propagation.extract(context.active(), headers);
      const allowing = pinoLines({ baggage: ['tenant'] });
      const notAllowing = pinoLines();
      context.with(received, () => {
        allowing.logger.info('x');
        notAllowing.logger.info('x');
      });
      expect(allowing.lines[0]?.tenant).toBe('acme');
      expect(notAllowing.lines[0]).not.toHaveProperty('tenant');
    });
  });
});
