/**
 * The small XML documents some S3 requests carry (CreateBucketConfiguration, Delete,
 * CompleteMultipartUpload, Tagging, a bucket policy): read whole, up to a limit, through the same
 * payload checks as an object's body (signed hash, aws-chunked framing, Content-MD5, checksums).
 */
import { AwsError } from '../../protocol/aws-error.js';
import type { RestInput } from '../../protocol/rest-input.js';
import { parseXml, type XmlNode } from '../../protocol/xml-reader.js';
import { malformedXml } from './errors.js';
import { receiveBody } from './upload.js';

const SMALL_BODY_LIMIT = 1024 * 1024;

export async function readSmallBody(input: RestInput, limit = SMALL_BODY_LIMIT): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  const received = receiveBody(input);
  for await (const chunk of received.body) {
    const bytes = chunk as Buffer;
    size += bytes.length;
    if (size > limit) {
      received.body.destroy();
      throw new AwsError('MaxMessageLengthExceeded', 'Your request was too big.', 400);
    }
    chunks.push(bytes);
  }
  await received.result;
  return Buffer.concat(chunks);
}

/** The request's XML document; undefined when the body is empty. */
export async function readXmlBody(input: RestInput): Promise<XmlNode | undefined> {
  const body = await readSmallBody(input);
  if (body.length === 0) return undefined;
  try {
    return parseXml(body.toString('utf8'));
  } catch {
    throw malformedXml();
  }
}
