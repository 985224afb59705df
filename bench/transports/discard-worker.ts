// The worker of the `ref-winston-thread-stream` reference (./child.ts): takes every chunk the
// logging thread writes into the shared buffer and drops it. Loaded by thread-stream from
// .cache/bench (bench/run.ts builds it).
import { Writable } from 'node:stream';

export default function discardWorker(): Writable {
  return new Writable({
    write(_chunk: Buffer, _encoding: BufferEncoding, callback: () => void) {
      callback();
    },
  });
}
