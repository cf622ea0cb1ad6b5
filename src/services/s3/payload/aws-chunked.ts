/**
 * Decodes a `Content-Encoding: aws-chunked` body as it streams, the mode named by
 * x-amz-content-sha256 (S3 API reference, "sigv4-streaming", "sigv4-streaming-trailers"):
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n <data> \r\n   ... repeated, then the final empty chunk
 *   0[;chunk-signature=<sig>]\r\n  [<name>:<value>\r\n ...]  [x-amz-trailer-signature:<sig>\r\n]  \r\n
 *
 * - STREAMING-UNSIGNED-PAYLOAD-TRAILER: bare sizes, trailers (what the JS SDK sends for streams);
 * - STREAMING-AWS4-HMAC-SHA256-PAYLOAD: every chunk signed, no trailers;
 * - STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER: signed chunks, and a signed trailer.
 *
 * Memory is bounded: data passes through as slices of the input, and only one framing line (at most
 * maxLineLength bytes) is ever held. Chunk data is passed on as it arrives, so a chunk whose
 * signature then fails has already gone downstream: the stream errors, and the consumer (the staged
 * temporary file) must be discarded, which storage.stage does for a failing source.
 *
 * After the end, `trailers` holds the trailer lines (lower-case names, without the trailer
 * signature) for the caller's checksum check, and `decodedLength` the data byte count.
 *
 * Known gaps: SigV4A (ECDSA) streaming modes are not decoded; chunk extensions other than
 * chunk-signature are refused rather than ignored.
 */
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { BoundedLine } from './bounded-line.js';
import { chunkStringToSign, isSameSignature, signString, trailerStringToSign, type ChunkSigningContext } from '../../../sigv4/streaming-signature.js';
import { bodyTerminatedUnexpectedly, byteCountMismatch, chunkSignatureMismatch, chunkTooLarge, chunkTooSmall, malformedTrailer } from './errors.js';

export type StreamingMode = 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' | 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
export const STREAMING_MODES: readonly StreamingMode[] = ['STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'];

export interface AwsChunkedOptions {
  mode: StreamingMode;
  /** required for the two signed modes */
  signing?: ChunkSigningContext;
  /** x-amz-decoded-content-length; checked at the end, and as soon as a chunk would exceed it */
  decodedContentLength?: number;
  /** the names x-amz-trailer declares, lower case; the trailer must carry exactly these */
  declaredTrailers?: readonly string[];
  /** S3: 8192; every chunk but the last (and the final empty one) must be at least this big */
  minChunkSize?: number;
  /** default 64 MiB */
  maxChunkSize?: number;
  /** the longest chunk-size or trailer line, CRLF excluded; default 4096 */
  maxLineLength?: number;
  /** default 16 */
  maxTrailerLines?: number;
}

export const S3_MIN_CHUNK_SIZE = 8192;
const DEFAULT_MAX_CHUNK_SIZE = 64 * 1024 * 1024;
const DEFAULT_MAX_LINE_LENGTH = 4096;
const DEFAULT_MAX_TRAILER_LINES = 16;
const TRAILER_SIGNATURE = 'x-amz-trailer-signature';

const UNSIGNED_SIZE_LINE = /^([0-9A-Fa-f]{1,16})$/;
const SIGNED_SIZE_LINE = /^([0-9A-Fa-f]{1,16});chunk-signature=([0-9a-f]{64})$/;
const TRAILER_LINE = /^([A-Za-z0-9-]+)[ \t]*:[ \t]*(.*?)[ \t]*$/;
const SIGNATURE_HEX = /^[0-9a-f]{64}$/;

type State = 'size-line' | 'data' | 'data-crlf' | 'trailer' | 'done';

export class AwsChunkedDecoder extends Transform {
  private readonly signed: boolean;
  private readonly trailerAllowed: boolean;
  private readonly minChunkSize: number;
  private readonly maxChunkSize: number;
  private readonly maxTrailerLines: number;
  private readonly line: BoundedLine;

  private state: State = 'size-line';
  private chunkNumber = 0;
  private previousChunkSize = 0;
  private remainingInChunk = 0;
  private crlfSeen = 0;
  private chunkHash: Hash | undefined;
  private chunkSignature = '';
  private previousSignature = '';
  private trailerLines: Array<[string, string]> = [];
  private trailerSignature: string | undefined;
  private decoded = 0;
  private readonly trailerMap = new Map<string, string>();

  constructor(private readonly options: AwsChunkedOptions) {
    super();
    this.signed = options.mode !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER';
    this.trailerAllowed = options.mode !== 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD';
    if (this.signed && !options.signing) throw new TypeError(`${options.mode} needs a signing context`);
    this.previousSignature = options.signing?.seedSignature ?? '';
    this.minChunkSize = options.minChunkSize ?? S3_MIN_CHUNK_SIZE;
    this.maxChunkSize = options.maxChunkSize ?? DEFAULT_MAX_CHUNK_SIZE;
    this.maxTrailerLines = options.maxTrailerLines ?? DEFAULT_MAX_TRAILER_LINES;
    this.line = new BoundedLine(options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
  }

  /** The trailer lines, lower-case names (complete once the stream has ended). */
  get trailers(): ReadonlyMap<string, string> {
    return this.trailerMap;
  }

  /** The data bytes passed on so far. */
  get decodedLength(): number {
    return this.decoded;
  }

  override _transform(input: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.consume(input);
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    callback(this.state === 'done' ? null : bodyTerminatedUnexpectedly());
  }

  private consume(input: Buffer): void {
    let offset = 0;
    while (offset < input.length) {
      switch (this.state) {
        case 'size-line':
        case 'trailer': {
          const result = this.line.read(input, offset);
          if (result.kind === 'too-long' || result.kind === 'bad-ending') throw this.state === 'trailer' ? malformedTrailer() : bodyTerminatedUnexpectedly();
          offset += result.consumed;
          if (result.kind === 'line') {
            if (this.state === 'size-line') this.onSizeLine(result.text);
            else this.onTrailerLine(result.text);
          }
          break;
        }
        case 'data': {
          const take = Math.min(this.remainingInChunk, input.length - offset);
          const piece = input.subarray(offset, offset + take);
          this.chunkHash?.update(piece);
          this.push(piece);
          this.decoded += take;
          this.remainingInChunk -= take;
          offset += take;
          if (this.remainingInChunk === 0) {
            this.verifyChunk();
            this.state = 'data-crlf';
          }
          break;
        }
        case 'data-crlf': {
          const expected = this.crlfSeen === 0 ? 0x0d : 0x0a;
          if (input[offset] !== expected) throw bodyTerminatedUnexpectedly();
          offset++;
          if (++this.crlfSeen === 2) {
            this.crlfSeen = 0;
            this.state = 'size-line';
          }
          break;
        }
        case 'done':
          throw bodyTerminatedUnexpectedly(); // bytes after the terminating empty line
      }
    }
  }

  private onSizeLine(text: string): void {
    const match = (this.signed ? SIGNED_SIZE_LINE : UNSIGNED_SIZE_LINE).exec(text);
    if (!match) throw bodyTerminatedUnexpectedly();
    const size = parseInt(match[1]!, 16);
    this.chunkNumber++;
    if (size > this.maxChunkSize) throw chunkTooLarge(this.chunkNumber, size, this.maxChunkSize);
    // Only a chunk followed by a non-empty one is known not to be the last.
    if (size > 0 && this.chunkNumber > 1 && this.previousChunkSize < this.minChunkSize) {
      throw chunkTooSmall(this.chunkNumber, this.previousChunkSize, this.minChunkSize);
    }
    const declared = this.options.decodedContentLength;
    if (declared !== undefined && this.decoded + size > declared) throw byteCountMismatch(declared, this.decoded + size);
    this.previousChunkSize = size;
    if (this.signed) {
      this.chunkSignature = match[2]!;
      this.chunkHash = createHash('sha256');
    }
    if (size > 0) {
      this.remainingInChunk = size;
      this.state = 'data';
      return;
    }
    this.verifyChunk();
    this.state = 'trailer';
  }

  private verifyChunk(): void {
    if (!this.signed) return;
    const context = this.options.signing!;
    const computed = signString(context.key, chunkStringToSign(context, this.previousSignature, this.chunkHash!.digest('hex')));
    if (!isSameSignature(computed, this.chunkSignature)) throw chunkSignatureMismatch();
    this.previousSignature = this.chunkSignature;
    this.chunkHash = undefined;
  }

  private onTrailerLine(text: string): void {
    if (text === '') {
      this.finishTrailer();
      return;
    }
    if (!this.trailerAllowed || this.trailerSignature !== undefined || this.trailerLines.length >= this.maxTrailerLines) throw malformedTrailer();
    const match = TRAILER_LINE.exec(text);
    if (!match) throw malformedTrailer();
    const name = match[1]!.toLowerCase();
    const value = match[2]!;
    if (name === TRAILER_SIGNATURE && this.signed) {
      if (!SIGNATURE_HEX.test(value)) throw malformedTrailer();
      this.trailerSignature = value;
      return;
    }
    if (this.trailerMap.has(name)) throw malformedTrailer();
    this.trailerLines.push([name, value]);
    this.trailerMap.set(name, value);
  }

  private finishTrailer(): void {
    const declared = new Set(this.options.declaredTrailers ?? []);
    const sent = [...this.trailerMap.keys()];
    if (sent.length !== declared.size || sent.some((name) => !declared.has(name))) throw malformedTrailer();
    if (this.signed && this.trailerAllowed) {
      if (this.trailerSignature === undefined) throw malformedTrailer();
      const context = this.options.signing!;
      const trailerText = this.trailerLines.map(([name, value]) => `${name}:${value}\n`).join('');
      const computed = signString(context.key, trailerStringToSign(context, this.previousSignature, trailerText));
      if (!isSameSignature(computed, this.trailerSignature)) throw chunkSignatureMismatch();
    }
    const expected = this.options.decodedContentLength;
    if (expected !== undefined && this.decoded !== expected) throw byteCountMismatch(expected, this.decoded);
    this.state = 'done';
  }
}
