/**
 * One invalid option of either OTLP transport: a description, the options given, the option
 * the InvalidOptionError names, and a part of its message.
 */
export type InvalidOptionCase = [string, Record<string, unknown>, string, string];

/**
 * Invalid options both transports take the same way (their mapping options and the OTLP
 * ones): the pino transport's validatePinoOtlpOptions and the winston transport's constructor
 * must reject each, naming the option.
 */
export const INVALID_TRANSPORT_OPTIONS: readonly InvalidOptionCase[] = [
  [
    'a severity out of range',
    { severityOverrides: { info: 999 } },
    'severityOverrides.info',
    'expected an integer from 0 to 24, received 999',
  ],
  [
    'severityOverrides as a name',
    { severityOverrides: 'INFO' },
    'severityOverrides',
    'received "INFO"',
  ],
  [
    'a fractional severity',
    { severityOverrides: { info: 9.5 } },
    'severityOverrides.info',
    'received 9.5',
  ],
  ['flattenAttributes not a boolean', { flattenAttributes: 'yes' }, 'flattenAttributes', ''],
  ['recordUid not a boolean', { recordUid: 'yes' }, 'recordUid', 'expected a boolean'],
  ['headers as a string', { headers: 'str' }, 'headers', 'received "str"'],
  ['a resource as a string', { resource: 'x' }, 'resource', 'received "x"'],
  ['a misspelt option', { serviceNmae: 'api' }, 'serviceNmae', 'did you mean `serviceName`?'],
  [
    'an endpoint without a scheme',
    { endpoint: '127.0.0.1:4318/v1/logs' },
    'endpoint',
    'did you mean `http://127.0.0.1:4318/v1/logs`?',
  ],
  [
    'an endpoint whose host reads as a scheme',
    { endpoint: 'localhost:4318/v1/logs' },
    'endpoint',
    'expected an http:// or https:// URL',
  ],
  ['fields naming no profile', { fields: 'splunk' }, 'fields', ''],
];
