/**
 * An object's HTTP face: the metadata a PutObject (or CreateMultipartUpload, CopyObject) request
 * sets from its headers, the headers GetObject and HeadObject answer with, conditional requests
 * (If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since) and byte ranges, as S3 does.
 */
import { AwsError } from '../../protocol/aws-error.js';
import type { RestInput } from '../../protocol/rest-input.js';
import { S3Error } from '../../protocol/rest-xml.js';
import { parseHttpDate } from '../../sigv4/amz-date.js';
import { invalidArgument } from './errors.js';
import { storedContentEncoding } from './payload/index.js';
import type { ChecksumAlgorithm, ChecksumSet, ObjectMetadata, ObjectRecord, S3Tag } from './storage/types.js';
import { CHECKSUM_ALGORITHMS } from './storage/types.js';

const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'] as const;
const STORAGE_CLASSES = new Set(['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'GLACIER_IR', 'EXPRESS_ONEZONE']);
const MAX_METADATA_BYTES = 2 * 1024;

/** Tags in the x-amz-tagging header's query-string form: `a=1&b=2`. */
export function tagsFromHeader(value: string | undefined): S3Tag[] {
  if (value === undefined || value === '') return [];
  const tags: S3Tag[] = [];
  for (const pair of value.split('&')) {
    const eq = pair.indexOf('=');
    const decode = (text: string): string => decodeURIComponent(text.replace(/\+/g, ' '));
    try {
      tags.push({ Key: decode(eq < 0 ? pair : pair.slice(0, eq)), Value: eq < 0 ? '' : decode(pair.slice(eq + 1)) });
    } catch {
      throw invalidArgument('The header x-amz-tagging shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.', 'x-amz-tagging', value);
    }
  }
  return validTags(tags);
}

/** S3's object tag rules: at most 10, keys up to 128 and values up to 256 characters, no duplicates. */
export function validTags(tags: S3Tag[]): S3Tag[] {
  if (tags.length > 10) throw new AwsError('BadRequest', 'Object tags cannot be greater than 10', 400);
  const seen = new Set<string>();
  for (const tag of tags) {
    if (tag.Key.length === 0 || tag.Key.length > 128) throw new AwsError('InvalidTag', 'The TagKey you have provided is invalid', 400);
    if (tag.Value.length > 256) throw new AwsError('InvalidTag', 'The TagValue you have provided is invalid', 400);
    if (seen.has(tag.Key)) throw new AwsError('InvalidTag', 'Cannot provide multiple Tags with the same key', 400);
    seen.add(tag.Key);
  }
  return tags;
}

/** What the request's headers say of the object, without its ETag and checksums (computed as it streams). */
export function metadataFromHeaders(input: RestInput): Omit<ObjectMetadata, 'etag' | 'checksums'> {
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = input.header(name);
    if (value === undefined) continue;
    if (name === 'content-encoding') {
      const kept = storedContentEncoding(value);
      if (kept !== undefined) headers[name] = kept;
    } else headers[name] = value;
  }
  const metadata: Record<string, string> = {};
  let metadataBytes = 0;
  for (const [name, value] of input.headers) {
    if (!name.startsWith('x-amz-meta-')) continue;
    const key = name.slice('x-amz-meta-'.length);
    metadata[key] = value;
    metadataBytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (metadataBytes > MAX_METADATA_BYTES) {
    throw new S3Error('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', 400, { Size: String(metadataBytes), MaxSizeAllowed: String(MAX_METADATA_BYTES) });
  }
  const storageClass = input.header('x-amz-storage-class') ?? 'STANDARD';
  if (!STORAGE_CLASSES.has(storageClass)) throw invalidArgument('The storage class you specified is not valid', 'x-amz-storage-class', storageClass);
  return { contentType: input.header('content-type') ?? 'binary/octet-stream', headers, metadata, tags: tagsFromHeader(input.header('x-amz-tagging')), storageClass };
}

let lastHttpDate = { iso: '', text: '' };

/** An ISO time as an HTTP date; the last one is kept (a GetObject of the same object answers the same Last-Modified). */
export function httpDate(iso: string): string {
  if (iso !== lastHttpDate.iso) lastHttpDate = { iso, text: new Date(iso).toUTCString() };
  return lastHttpDate.text;
}

/** Answer headers of whole objects, made once per record: a record is replaced, never changed, when its object changes. */
const wholeAnswerHeaders = new WeakMap<ObjectRecord, Readonly<Record<string, string>>>();
const wholeAnswerHeadersWithChecksums = new WeakMap<ObjectRecord, Readonly<Record<string, string>>>();

/**
 * The headers GetObject and HeadObject answer for the whole object, content-length included, and
 * its checksums when asked (x-amz-checksum-mode: ENABLED). Made once per record and shared by every
 * request for it, so read-only: an answer that differs (a range, response-* overrides) copies them.
 * Made per request, they cost GetObject several µs under load: two Object.entries, an HTTP date,
 * and a keyed store (a map transition) for each header.
 */
export function objectHeaders(object: ObjectRecord, withChecksums: boolean): Readonly<Record<string, string>> {
  const cache = withChecksums ? wholeAnswerHeadersWithChecksums : wholeAnswerHeaders;
  let headers = cache.get(object);
  if (headers === undefined) {
    headers = buildObjectHeaders(object, withChecksums);
    cache.set(object, headers);
  }
  return headers;
}

function buildObjectHeaders(object: ObjectRecord, withChecksums: boolean): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': object.contentType,
    etag: `"${object.etag}"`,
    'last-modified': httpDate(object.lastModified),
    'accept-ranges': 'bytes',
  };
  for (const [name, value] of Object.entries(object.headers)) headers[name] = value;
  for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
  if (object.tags.length > 0) headers['x-amz-tagging-count'] = String(object.tags.length);
  if (object.storageClass !== 'STANDARD') headers['x-amz-storage-class'] = object.storageClass;
  if (object.partsCount !== undefined) headers['x-amz-mp-parts-count'] = String(object.partsCount);
  if (withChecksums) Object.assign(headers, checksumHeaders(object.checksums, object.checksumType));
  headers['content-length'] = String(object.size);
  return headers;
}

/** Whether the request asks for the object's checksums (x-amz-checksum-mode: ENABLED). */
export function checksumModeEnabled(input: RestInput): boolean {
  return input.header('x-amz-checksum-mode')?.toUpperCase() === 'ENABLED';
}

export function checksumHeaders(checksums: ChecksumSet, type?: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const value = checksums[algorithm];
    if (value !== undefined) headers[`x-amz-checksum-${algorithm.toLowerCase()}`] = value;
  }
  if (type !== undefined && Object.keys(headers).length > 0) headers['x-amz-checksum-type'] = type;
  return headers;
}

/** GetObject's response-* query parameters, which override the stored headers in the answer. */
const OVERRIDES: Readonly<Record<string, string>> = {
  'response-content-type': 'content-type', 'response-content-language': 'content-language', 'response-expires': 'expires',
  'response-cache-control': 'cache-control', 'response-content-disposition': 'content-disposition', 'response-content-encoding': 'content-encoding',
};

/** Whether the request carries any of GetObject's response-* overrides. */
export function hasResponseOverrides(input: RestInput): boolean {
  if (input.params.size === 0) return false;
  for (const parameter of Object.keys(OVERRIDES)) if (input.params.has(parameter)) return true;
  return false;
}

export function applyResponseOverrides(headers: Record<string, string>, input: RestInput): void {
  if (input.params.size === 0) return;
  for (const [parameter, header] of Object.entries(OVERRIDES)) {
    const value = input.params.get(parameter);
    if (value !== undefined) headers[header] = value;
  }
}

function etagMatches(list: string, etag: string): boolean {
  return list.split(',').some((item) => {
    const candidate = item.trim().replace(/^W\//, '');
    return candidate === '*' || candidate === `"${etag}"` || candidate === etag;
  });
}

/**
 * Conditional requests as S3 evaluates them: a failed If-Match (or, without If-Match, a failed
 * If-Unmodified-Since) is 412 PreconditionFailed; then a matching If-None-Match (or, without it, an
 * unmodified If-Modified-Since) is 304 Not Modified.
 */
export function checkPreconditions(object: ObjectRecord, header: (name: string) => string | undefined): 'ok' | 'not-modified' {
  const ifMatch = header('if-match');
  const ifUnmodifiedSince = parseHttpDateHeader(header('if-unmodified-since'));
  const ifNoneMatch = header('if-none-match');
  const ifModifiedSince = parseHttpDateHeader(header('if-modified-since'));
  if (ifMatch === undefined && ifUnmodifiedSince === undefined && ifNoneMatch === undefined && ifModifiedSince === undefined) return 'ok';
  const modified = Math.floor(new Date(object.lastModified).getTime() / 1000) * 1000;
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, object.etag)) throw preconditionFailed('If-Match');
  } else if (ifUnmodifiedSince !== undefined && modified > ifUnmodifiedSince) throw preconditionFailed('If-Unmodified-Since');
  if (ifNoneMatch !== undefined) {
    if (etagMatches(ifNoneMatch, object.etag)) return 'not-modified';
  } else if (ifModifiedSince !== undefined && modified <= ifModifiedSince) return 'not-modified';
  return 'ok';
}

function parseHttpDateHeader(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseHttpDate(value) ?? (Number.isNaN(Date.parse(value)) ? undefined : new Date(value));
  return parsed?.getTime();
}

function preconditionFailed(condition: string): S3Error {
  return new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition });
}

/**
 * The byte range a Range header asks for (`bytes=a-b`, `bytes=a-`, `bytes=-n`), inclusive; undefined
 * for none or one S3 ignores (several ranges, another unit, a malformed one); 416 InvalidRange when
 * it lies beyond the object.
 */
export function requestedRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) throw invalidRange(header, size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== '' && Number(match[2]) < start) return undefined;
  }
  if (start >= size || size === 0) throw invalidRange(header, size);
  return { start, end };
}

function invalidRange(header: string, size: number): S3Error {
  return new S3Error('InvalidRange', 'The requested range is not satisfiable', 416, { RangeRequested: header, ActualObjectSize: String(size) });
}

/** The checksum algorithm a request asks S3 to compute or verify, if any. */
export function requestedChecksum(input: RestInput): ChecksumAlgorithm | undefined {
  const named = input.header('x-amz-sdk-checksum-algorithm') ?? input.header('x-amz-checksum-algorithm');
  if (named !== undefined) {
    const algorithm = CHECKSUM_ALGORITHMS.find((candidate) => candidate === named.toUpperCase());
    if (!algorithm) throw invalidRequest(`Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]`);
    return algorithm;
  }
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const header = `x-amz-checksum-${algorithm.toLowerCase()}`;
    if (input.header(header) !== undefined) return algorithm;
    if (input.header('x-amz-trailer')?.toLowerCase() === header) return algorithm;
  }
  return undefined;
}

function invalidRequest(message: string): AwsError {
  return new AwsError('InvalidRequest', message, 400);
}
