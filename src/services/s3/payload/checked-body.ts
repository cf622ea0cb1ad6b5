/**
 * Wires a request body through the aws-chunked decoder (when the plan has one) and the body check,
 * so that an S3 operation can stage the result and commit only if the check passed:
 *
 *   const { body, result } = checkBody(request, planPayload(request.headers, { signing }));
 *   const blob = await storage.stage(body);   // rejects, discarding the file, if anything failed
 *   const checked = await result;             // size, md5/etag, checksums
 *
 * Any failure (a bad chunk signature, a digest mismatch, the client going away) errors `body` with
 * the AwsError to answer, and rejects `result` with it. The request itself is not destroyed:
 * destroying an unfinished IncomingMessage resets the socket, and the client would never read the
 * error. It is unpiped and drained instead (the server may still answer with Connection: close).
 */
import type { Readable } from 'node:stream';
import { AwsChunkedDecoder } from './aws-chunked.js';
import { BodyCheck, type BodyCheckResult } from './body-check.js';
import { bodyTerminatedUnexpectedly } from './errors.js';
import type { PayloadPlan } from './payload-headers.js';

export interface CheckedBody {
  /** the decoded, checked bytes, for storage.stage */
  body: Readable;
  /** settles once `body` has ended or failed */
  result: Promise<BodyCheckResult>;
  /** the aws-chunked trailers (empty for a plain body), complete once `body` has ended */
  trailers(): ReadonlyMap<string, string>;
}

const NO_TRAILERS: ReadonlyMap<string, string> = new Map();

export function checkBody(source: Readable, plan: PayloadPlan): CheckedBody {
  const decoder = plan.decoding ? new AwsChunkedDecoder(plan.decoding) : undefined;
  const check = new BodyCheck({ ...plan.check, trailers: decoder ? () => decoder.trailers : undefined });
  const first = decoder ?? check;

  let failed = false;
  const fail = (error: Error): void => {
    if (failed) return;
    failed = true;
    source.unpipe(first);
    source.resume(); // discard the rest of the body
    decoder?.destroy();
    check.destroy(error);
  };
  source.on('error', fail);
  decoder?.on('error', fail);
  check.on('error', fail);
  check.on('close', () => {
    if (!check.readableEnded) fail(bodyTerminatedUnexpectedly());
  });

  source.pipe(first);
  decoder?.pipe(check);
  return { body: check, result: check.result, trailers: () => decoder?.trailers ?? NO_TRAILERS };
}
