import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';
import type { Metadata } from '@grpc/grpc-js';
import { reportProblem } from '../../core/report-problem.js';
import { toHeaderValue } from '../header-value.js';

const WHERE_READ = 'reading propagation headers from gRPC metadata';

// Structural, so this file loads nothing of grpc-js: any copy of `Metadata` works.

/**
 * Reads gRPC `Metadata`. Keys are the lower-case names grpc-js stores (it lower-cases every
 * key, as HTTP/2 field names are); binary (`-bin`) entries are skipped, as no text propagator
 * reads them. Values get the same bounds as every other carrier. Never throws.
 */
export const metadataGetter: TextMapGetter<Metadata> = {
  keys(carrier) {
    try {
      return Object.keys(carrier.getMap()).filter((key) => !key.endsWith('-bin'));
    } catch (error) {
      reportProblem(WHERE_READ, 'treated the metadata as empty', error);
      return [];
    }
  },
  get(carrier, key) {
    try {
      if (key.endsWith('-bin')) return undefined;
      return toHeaderValue(carrier.get(key.toLowerCase()), WHERE_READ);
    } catch (error) {
      reportProblem(WHERE_READ, 'treated the header as absent', error);
      return undefined;
    }
  },
};

/** Writes gRPC `Metadata`, replacing any value of the key. Never throws. */
export const metadataSetter: TextMapSetter<Metadata> = {
  set(carrier, key, value) {
    try {
      carrier.set(key, value);
    } catch (error) {
      reportProblem('writing propagation headers to gRPC metadata', 'left the header unset', error);
    }
  },
};

/** Whether `metadata` already carries one of the propagator's fields (set by the caller or an instrumentation). */
export function carriesPropagationFields(metadata: Metadata, fields: readonly string[]): boolean {
  try {
    for (const field of fields) {
      if (metadata.get(field.toLowerCase()).length > 0) return true;
    }
    return false;
  } catch (error) {
    reportProblem(WHERE_READ, 'treated the metadata as carrying no trace context', error);
    return false;
  }
}
