/**
 * SigV4 verification as small pure functions (no I/O, no clock of its own, no signer). The pipeline
 * calls parseSignature, looks up the secret for sig.accessKeyId, then verifySignature, and on failure
 * turns the result into a protocol error with signatureFailure.
 *
 * Known gaps: SigV4A (ECDSA), signed streaming payloads (aws-chunked chunk signatures) and
 * POST-policy uploads are not verified here; the clock check uses X-Amz-Expires for presigned URLs
 * of every service, while real STS is reported to ignore it (see auth-errors.ts).
 */
export type { SignedHttpRequest, ParsedSignature, VerifyOptions, VerifyResult, VerifyFailure, VerifyFailureReason } from './types.js';
export { parseSignature, type ParseSignatureOptions } from './parse-authorization.js';
export { canonicalRequest, type CanonicalRequestOptions } from './canonical-request.js';
export { sha256Hex, stringToSign } from './string-to-sign.js';
export { signingKey } from './signing-key.js';
export { verifySignature, SIGNATURE_MISMATCH_MESSAGE } from './verify.js';
export { signatureFailure, malformedAuthFor, SignatureFailureError, type ProtocolFamily } from './auth-errors.js';
export { chunkSigningContext, type ChunkSigningContext } from './streaming-signature.js';
