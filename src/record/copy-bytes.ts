import { reportProblem } from '../report-problem.js';

/**
 * A plain `Uint8Array` copy of at most `maxLength` bytes of `view` (a `Buffer` is copied
 * too: pooled Buffer memory is reused once the log call returns). Cutting is reported.
 *
 * @example
 * ```ts
 * copyBytes(Buffer.from('hello'), 3); // Uint8Array [104, 101, 108]
 * ```
 */
export function copyBytes(view: Uint8Array, maxLength: number): Uint8Array {
  const length = Math.min(view.length, maxLength);
  if (length < view.length) {
    reportProblem(
      'mapping a long byte array',
      `${view.length} bytes were cut to maxStringLength (${maxLength})`,
    );
  }
  const copy = new Uint8Array(length);
  copy.set(length === view.length ? view : view.subarray(0, length));
  return copy;
}

/**
 * The bytes of a binary value — `Uint8Array` (and `Buffer`), `ArrayBuffer`, `DataView` — as
 * a plain `Uint8Array` copy cut at `maxLength`; `undefined` for anything else (other typed
 * arrays are numbers, not bytes, to their users).
 *
 * @example
 * ```ts
 * bytesOf(new Uint8Array([1, 2]).buffer, 1024); // Uint8Array [1, 2]
 * ```
 */
export function bytesOf(value: object, maxLength: number): Uint8Array | undefined {
  if (value instanceof Uint8Array) return copyBytes(value, maxLength);
  if (value instanceof ArrayBuffer) return copyBytes(new Uint8Array(value), maxLength);
  if (value instanceof DataView) {
    return copyBytes(new Uint8Array(value.buffer, value.byteOffset, value.byteLength), maxLength);
  }
  return undefined;
}
