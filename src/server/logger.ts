/**
 * Structured logs: one JSON line per event on stderr. Callers pass only non-secret fields; the
 * request log line names the access key id (an identifier, not a secret) but never a secret key,
 * a session token, a signature or a query string (presigned URLs carry the latter two).
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  log(level: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void;
}

/**
 * Lines are gathered and written together once per turn of the event loop (one write instead of
 * one per request under load), and at exit whatever is left is written synchronously.
 */
export function jsonLogger(level: LogLevel, write: (text: string) => void = (text) => process.stderr.write(text)): Logger & { flush(): void } {
  let pending: string[] = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    write(text);
  };
  process.once('exit', flush);
  return {
    log(eventLevel, message, fields = {}) {
      if (ORDER[eventLevel] < ORDER[level]) return;
      if (pending.length === 0) setImmediate(flush);
      pending.push(JSON.stringify({ time: new Date().toISOString(), level: eventLevel, msg: message, ...fields }) + '\n');
    },
    flush,
  };
}

export const silentLogger: Logger = { log() {} };
