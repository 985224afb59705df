import { randomFillSync } from 'node:crypto';

// One randomFillSync per 4 KiB instead of one per id: the per-call cost of the syscall-backed
// CSPRNG dominated a request in lightweight mode. Ids stay unpredictable (W3C Trace Context
// §"Privacy": ids must not be guessable), unlike Math.random-based generators.
const POOL_SIZE = 4096;
const pool = Buffer.allocUnsafe(POOL_SIZE);
let offset = POOL_SIZE;

function take(bytes: number): string {
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const start = offset;
  offset += bytes;
  return pool.toString('hex', start, start + bytes);
}

/** A fresh random 16-byte trace id as 32 lower-case hex digits; never all zeros. */
export function newTraceId(): string {
  const id = take(16);
  return id === '00000000000000000000000000000000' ? newTraceId() : id;
}

/** A fresh random 8-byte span id as 16 lower-case hex digits; never all zeros. */
export function newSpanId(): string {
  const id = take(8);
  return id === '0000000000000000' ? newSpanId() : id;
}
