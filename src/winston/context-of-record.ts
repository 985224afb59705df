import { context } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { capturedContextOf } from '../context/captured-context.js';

/**
 * The context a record's fields come from: the one captured at the log call by
 * `captureTraceContext`, else the one active now (right only when nothing was buffered).
 */
export function contextOfRecord(info: object): Context {
  return capturedContextOf(info) ?? context.active();
}
