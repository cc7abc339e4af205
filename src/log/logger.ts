import { pino, type DestinationStream, type Logger } from 'pino';

// Paths pino blanks out wherever they appear in a log line: API keys, auth headers, secrets.
const REDACT = [
  'apiKey', '*.apiKey', 'api_key', '*.api_key', 'password', '*.password', 'secret', '*.secret',
  'req.headers["x-api-key"]', 'req.headers.authorization', 'headers["x-api-key"]', '*.headers["x-api-key"]',
  'headers.authorization', '*.headers.authorization',
  'cdp_connect_headers', '*.cdp_connect_headers', 'totp', '*.totp',
  'secretAccessKey', '*.secretAccessKey', 'sessionToken', '*.sessionToken',
];

export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  return pino({ name, level, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
}
export type { Logger };
