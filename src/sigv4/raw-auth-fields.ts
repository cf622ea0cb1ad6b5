/** What the header form and the presigned form have in common once read, before scope checks. */
export interface RawAuthFields {
  form: 'header' | 'query';
  credential: string;
  signedHeaders: string;
  signature: string;
  amzDate: string;
  requestTime: Date;
  /** Which field dated the request, for the scope-date error message. */
  dateSource: 'X-Amz-Date' | 'Date';
  expiresSeconds?: number;
  securityToken?: string;
}
