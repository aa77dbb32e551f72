/** Log levels, quietest last. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `text`: one readable line per message; `json`: one JSON object per line, for log collectors. */
export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Structured details of a message: shown in JSON lines, left out of text lines (the message says it). */
export type LogFields = Record<string, string | number | boolean | null>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/**
 * Lines for stderr, written together every few milliseconds (or once 64 KiB have gathered) rather
 * than one write each: a write to a pipe or file blocks the process, and a busy mock logs a line
 * per request. Whatever is left is written when the process exits.
 */
const FLUSH_MS = 10;
let pendingLines = '';
let flushScheduled = false;
let flushAtExit = false;
function flushLines(): void {
  flushScheduled = false;
  if (pendingLines === '') return;
  const lines = pendingLines;
  pendingLines = '';
  process.stderr.write(lines);
}
function writeToStderr(line: string): void {
  if (!flushAtExit) {
    flushAtExit = true;
    process.once('exit', flushLines);
  }
  pendingLines += `${line}\n`;
  if (pendingLines.length >= 65_536) {
    flushLines();
  } else if (!flushScheduled) {
    flushScheduled = true;
    // Unreferenced: a mock with nothing else to do exits, and the exit handler writes the rest.
    setTimeout(flushLines, FLUSH_MS).unref();
  }
}

/**
 * A logger writing one line per message to stderr (see writeToStderr), dropping messages below `level`.
 *
 * @example
 * const logger = createLogger('warn');
 * logger.info('not shown');
 * createLogger('info', 'json').info('GET /v1/campaigns/x 404', { status: 404 });
 * // {"time":"…","level":"info","msg":"GET /v1/campaigns/x 404","status":404}
 */
export function createLogger(level: LogLevel, format: LogFormat = 'text', write: (line: string) => void = writeToStderr): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const at = (name: Exclude<LogLevel, 'silent'>) => {
    if (LOG_LEVELS.indexOf(name) < threshold) return () => {};
    if (format === 'json') return (message: string, fields?: LogFields) => write(JSON.stringify({ time: new Date().toISOString(), level: name, msg: message, ...fields }));
    return (message: string) => write(name === 'info' ? message : `${name}: ${message}`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

export function isLogFormat(value: string): value is LogFormat {
  return (LOG_FORMATS as readonly string[]).includes(value);
}
