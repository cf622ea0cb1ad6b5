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

/** How long a line may wait to be written together with the next ones. */
const FLUSH_DELAY_MS = 25;
/** Written at once when this much is waiting, whatever the delay. */
const FLUSH_BYTES = 64 * 1024;

/**
 * Lines are gathered and written together (one write per 25 ms or 64 KiB instead of one per
 * request under load); at exit whatever is left is written synchronously. A line is built by hand:
 * one request line costs a few string joins instead of an object spread and JSON.stringify, and
 * the timestamp is formatted once per millisecond.
 */
export function jsonLogger(level: LogLevel, write: (text: string) => void = (text) => process.stderr.write(text)): Logger & { flush(): void } {
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  let stampedAt = -1;
  let stamp = '';
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending === '') return;
    const text = pending;
    pending = '';
    write(text);
  };
  process.once('exit', flush);
  return {
    log(eventLevel, message, fields) {
      if (ORDER[eventLevel] < ORDER[level]) return;
      const now = Date.now();
      if (now !== stampedAt) {
        stampedAt = now;
        stamp = new Date(now).toISOString();
      }
      pending += `{"time":"${stamp}","level":"${eventLevel}","msg":${jsonString(message)}${fields ? jsonFields(fields) : ''}}\n`;
      if (pending.length >= FLUSH_BYTES) flush();
      else if (!timer) timer = setTimeout(flush, FLUSH_DELAY_MS).unref();
    },
    flush,
  };
}

/** `,"name":value` for each field that is set, in order (what JSON.stringify writes for them). */
function jsonFields(fields: LogFields): string {
  let text = '';
  for (const name in fields) {
    const value = fields[name];
    if (value === undefined) continue;
    text += `,${jsonString(name)}:${typeof value === 'string' ? jsonString(value) : typeof value === 'number' && !Number.isFinite(value) ? 'null' : String(value)}`;
  }
  return text;
}

// Anything JSON must escape, and anything outside printable ASCII, goes through JSON.stringify.
const NEEDS_ESCAPING = /["\\\u0000-\u001f\u007f-\uffff]/;

function jsonString(text: string): string {
  return NEEDS_ESCAPING.test(text) ? JSON.stringify(text) : `"${text}"`;
}

export const silentLogger: Logger = { log() {} };
