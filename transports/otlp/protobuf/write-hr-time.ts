import type { HrTime } from '@opentelemetry/api';
import type { ProtoWriter } from './proto-writer.js';

const NANOS_PER_SECOND = 1_000_000_000;

/**
 * Writes an `HrTime` `[seconds, nanos]` as the `fixed64` nanoseconds since the epoch of
 * `LogRecord.time_unix_nano` (logs.proto fields 1 and 11), without BigInt.
 * `seconds * 1e9` passes 2^53 for any date after 1970-04-15, so — as in otlp-transformer's
 * `writeHrTimeAsFixed64`, whose arithmetic this repeats so the bytes match — `seconds` is
 * split into its low 16 bits and the rest, each product stays exact, and the halves are
 * recombined into low and high 32-bit words with carry.
 *
 * @example
 * ```ts
 * writeHrTime(writer, [1_700_000_000, 123]); // 1700000000000000123 as 8 little-endian bytes
 * ```
 */
export function writeHrTime(writer: ProtoWriter, hrTime: HrTime): void {
  const seconds = hrTime[0];
  const nanos = hrTime[1];
  const fromLow16 = (seconds & 0xffff) * NANOS_PER_SECOND; // < 2^53
  const fromHigh = ((seconds / 0x10000) >>> 0) * NANOS_PER_SECOND; // < 2^53, to shift by 16
  const low = (fromLow16 >>> 0) + (((fromHigh & 0xffff) * 0x10000) >>> 0) + nanos;
  const high =
    Math.floor(fromLow16 / 0x100000000) +
    ((fromHigh / 0x10000) >>> 0) +
    Math.floor(low / 0x100000000);
  writer.fixed64(low >>> 0, high >>> 0);
}
