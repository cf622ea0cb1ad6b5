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
/** The buffer lines are gathered in; written at once when full, whatever the delay. */
const BUFFER_BYTES = 64 * 1024;

/**
 * Lines are gathered and written together (one write per 25 ms or 64 KiB instead of one per
 * request under load); at exit whatever is left is written synchronously. Each line is encoded into
 * a buffer as it is made: gathered as one long string instead, a flush spent about 1 µs per line
 * flattening it. The fields are one JSON.stringify, spliced after the time, level and message
 * (no object spread), and the timestamp is formatted once per millisecond.
 */
export function jsonLogger(level: LogLevel, write: (bytes: Uint8Array) => void = (bytes) => process.stderr.write(bytes)): Logger & { flush(): void } {
  const buffer = Buffer.allocUnsafeSlow(BUFFER_BYTES);
  let used = 0;
  let timer: NodeJS.Timeout | undefined;
  let stampedAt = -1;
  let stamp = '';
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (used === 0) return;
    // A copy of what is written (as long as the lines are), so that a write that completes later
    // keeps its bytes while the buffer takes the next lines.
    const bytes = Buffer.from(buffer.subarray(0, used));
    used = 0;
    write(bytes);
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
      const line = `{"time":"${stamp}","level":"${eventLevel}","msg":${JSON.stringify(message)}${fields ? moreMembers(fields) : '}'}\n`;
      // A UTF-16 code unit is at most 3 bytes of UTF-8.
      const room = line.length * 3;
      if (used + room > buffer.length) flush();
      if (room > buffer.length) {
        write(Buffer.from(line, 'utf8'));
        return;
      }
      used += buffer.write(line, used, 'utf8');
      timer ??= setTimeout(flush, FLUSH_DELAY_MS).unref();
    },
    flush,
  };
}

/** `,"name":value...}`: the fields' JSON without its opening brace (undefined ones left out), or `}` for none. */
function moreMembers(fields: LogFields): string {
  const json = JSON.stringify(fields);
  return json.length > 2 ? `,${json.slice(1)}` : '}';
}

export const silentLogger: Logger = { log() {} };
