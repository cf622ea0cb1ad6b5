/** S3's errors, with the extra elements S3 puts in its error documents. */
import { AwsError } from '../../protocol/aws-error.js';
import { S3Error } from '../../protocol/rest-xml.js';

export function noSuchBucket(bucket: string): S3Error {
  return new S3Error('NoSuchBucket', 'The specified bucket does not exist', 404, { BucketName: bucket });
}

export function noSuchKey(key: string): S3Error {
  return new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
}

export function noSuchUpload(uploadId: string): S3Error {
  return new S3Error(
    'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404,
    { UploadId: uploadId },
  );
}

export function malformedXml(): AwsError {
  return new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
}

export function invalidArgument(message: string, name: string, value: string): S3Error {
  return new S3Error('InvalidArgument', message, 400, { ArgumentName: name, ArgumentValue: value });
}

export function invalidRequest(message: string): AwsError {
  return new AwsError('InvalidRequest', message, 400);
}

export function invalidBucketName(bucket: string): S3Error {
  return new S3Error('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: bucket });
}

export function notImplemented(what: string): AwsError {
  return new AwsError('NotImplemented', `A header or query you provided implies functionality that is not implemented: ${what}`, 501);
}
