import build from 'pino-abstract-transport';
import { PassThrough } from 'node:stream';
import type { Readable } from 'node:stream';
import { consumeLines } from '../../../transports/worker/line-intake.js';

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
