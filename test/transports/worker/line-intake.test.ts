import build from 'pino-abstract-transport';
import { once } from 'node:events';
import type * as FsModule from 'node:fs';
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import { InvalidOptionError } from 'tracelink';
import type { OtlpExportOptions } from '../../../transports/options/otlp-options.js';
import { buildLineTransport, consumeLines } from '../../../transports/worker/line-intake.js';
import type { LineTransportParts } from '../../../transports/worker/line-intake.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** pino-abstract-transport's line stream, as the transports get it, and what `consume` made. */
function lineSource(consume: (source: Readable) => Promise<void>) {
  let done: Promise<void> | undefined;
  const stream = build(
    (source: Readable) => {
      done = consume(source);
      return done;
    },
    { parse: 'lines', parseLine: (line: string) => line },
  );
  return { stream, done: () => done as Promise<void> };
}

describe('consumeLines', () => {
  it('hands over every line in order, across chunk boundaries, and resolves at the end', async () => {
    const seen: string[] = [];
    const { stream, done } = lineSource((source) =>
      consumeLines(source, (line) => void seen.push(line)),
    );
    stream.write('{"a":1}\n{"b":');
    stream.write('2}\nplain text\n');
    stream.end('last without newline');
    await done();
    expect(seen).toEqual(['{"a":1}', '{"b":2}', 'plain text', 'last without newline']);
  });

  it('takes no line while the promise onLine returned is pending (backpressure), then goes on', async () => {
    const seen: string[] = [];
    let release: () => void = () => undefined;
    const { stream, done } = lineSource((source) =>
      consumeLines(source, (line) => {
        seen.push(line);
        if (line !== 'wait') return undefined;
        return new Promise<void>((resolve) => (release = resolve));
      }),
    );
    stream.write('1\nwait\n2\n3\n');
    await turn();
    await turn();
    expect(seen).toEqual(['1', 'wait']);
    release();
    stream.end('4\n');
    await done();
    expect(seen).toEqual(['1', 'wait', '2', '3', '4']);
  });

  it('rejects when onLine throws, and takes no further line', async () => {
    const seen: string[] = [];
    const source = new PassThrough({ objectMode: true });
    const done = consumeLines(source, (line) => {
      seen.push(line);
      if (line === 'bad') throw new Error('cannot take it');
      return undefined;
    });
    source.write('ok');
    source.write('bad');
    source.write('after');
    await expect(done).rejects.toThrow('cannot take it');
    expect(seen).toEqual(['ok', 'bad']);
  });

  it('rejects on a stream error, with an Error even when the stream gave something else', async () => {
    const source = new PassThrough({ objectMode: true });
    const done = consumeLines(source, () => undefined);
    source.emit('error', 'not an Error');
    await expect(done).rejects.toThrow('not an Error');
  });

  it('rejects when the promise onLine returned rejects', async () => {
    const source = new PassThrough({ objectMode: true });
    const done = consumeLines(source, () => Promise.reject(new Error('no room, ever')));
    source.write('x');
    await expect(done).rejects.toThrow('no room, ever');
  });

  it('resolves when the stream is destroyed before its end: nothing more comes', async () => {
    const source = new PassThrough({ objectMode: true });
    const seen: string[] = [];
    const done = consumeLines(source, (line) => void seen.push(line));
    source.write('one');
    await turn();
    source.destroy();
    await done;
    expect(seen).toEqual(['one']);
  });
});

describe('buildLineTransport', () => {
  /** The transport's stderr lines while `fn` runs (they are written synchronously). */
  async function stderrOf(fn: () => Promise<void>): Promise<string[]> {
    const writes: string[] = [];
    // The module object itself: the code under test reads writeSync from it at call time.
    const fs = jest.requireActual<typeof FsModule>('node:fs');
    const spy = jest.spyOn(fs, 'writeSync').mockImplementation((fd, text) => {
      if (fd === 2) writes.push(String(text));
      return 0;
    });
    try {
      await fn();
    } finally {
      spy.mockRestore();
    }
    return writes;
  }

  /** Builds a transport, writes `lines` to it, ends it, and resolves once it has closed. */
  async function run(
    options: Record<string, unknown>,
    parts: Partial<LineTransportParts<string>>,
    lines: string[],
  ): Promise<void> {
    const stream = buildLineTransport(options as OtlpExportOptions, {
      createPipeline: () => {
        throw new Error('no pipeline is made from invalid options');
      },
      mapperFor: () => (line) => line,
      expectPinoConfig: false,
      ...parts,
    });
    for (const line of lines) stream.write(`${line}\n`);
    stream.end();
    await once(stream, 'close');
  }

  describe('with invalid options', () => {
    it('does not throw: says which option at once, takes every line, and reports each as dropped at its end', async () => {
      const writes = await stderrOf(() =>
        run({ headers: 'str' }, {}, ['{"msg":"a"}', '{"msg":"b"}', 'c']),
      );
      const reason = 'invalid option `headers`: expected an object of name → string';
      expect(writes).toEqual([
        `tracelink: ${reason}, received "str"; the OTLP transport sends no record: each is counted as dropped (invalid-options)\n`,
        `tracelink: 3 of 3 log records were not delivered to the collector (3 invalid-options); ${reason}, received "str"\n`,
      ]);
    });

    it('checks the transport’s own options too, with the OTLP ones', async () => {
      const checkOptions = () => {
        throw new InvalidOptionError('severityOverrides.info', 'an integer from 0 to 24', 999);
      };
      const writes = await stderrOf(() => run({ exporter: 'none' }, { checkOptions }, ['x']));
      expect(writes).toEqual([
        expect.stringMatching(/^tracelink: invalid option `severityOverrides.info`: .* 999; /),
        expect.stringMatching(/^tracelink: 1 of 1 log records .* \(1 invalid-options\); /),
      ]);
    });

    it('reports nothing at its end when no record came', async () => {
      const writes = await stderrOf(() => run({ endpoint: 'localhost:4318/v1/logs' }, {}, []));
      expect(writes).toEqual([
        expect.stringContaining(
          'invalid option `endpoint`: expected an http:// or https:// URL (did you mean `http://localhost:4318/v1/logs`?)',
        ),
      ]);
    });
  });

  it('does not throw when no exporter can be made from the options: it says so, and drops', async () => {
    const createPipeline = () => {
      throw new Error('Configuration: timeoutMillis is invalid');
    };
    const writes = await stderrOf(() => run({ exporter: 'none' }, { createPipeline }, ['x']));
    expect(writes).toEqual([
      'tracelink: the OTLP exporter cannot be made from the options: Configuration: timeoutMillis is invalid; the OTLP transport sends no record: each is counted as dropped (invalid-options)\n',
      expect.stringMatching(/^tracelink: 1 of 1 log records .* \(1 invalid-options\); /),
    ]);
  });
});
