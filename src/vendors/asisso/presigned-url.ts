import { crypto } from '../../crypto.js';

/**
 * Upload and download URLs signed like S3's presigned URLs (query-string SigV4 parameters), with
 * a secret that lives as long as the app: a URL from one mock is worthless to another. The
 * signature covers the method, the path, the credential (the API key), the time of signing, the
 * lifetime and, for an upload, the Content-Type it must be sent with, as S3 signs the
 * `content-type` header named in X-Amz-SignedHeaders. An upload URL does not download, nor a
 * download URL upload.
 */

const ALGORITHM = 'AWS4-HMAC-SHA256';

export interface PresignedUpload {
  method: 'PUT' | 'GET';
  /** The URL path, e.g. `/api/v1/s3/campaigns/12/<uuid>_contacts.csv`. */
  path: string;
  credential: string;
  signedAt: Date;
  expiresInSeconds: number;
  /** The Content-Type an upload must be sent with; empty for a download. */
  contentType: string;
}

/** What a signature covers. */
interface SignedFields {
  method: string;
  path: string;
  algorithm: string;
  credential: string;
  date: string;
  expires: string;
  signedHeaders: string;
  contentType: string;
}

/** The query of an upload URL, as received. */
export interface UploadQuery {
  'X-Amz-Algorithm'?: string;
  'X-Amz-Date'?: string;
  'X-Amz-Expires'?: string;
  'X-Amz-SignedHeaders'?: string;
  'X-Amz-Signature'?: string;
}

/** Why an upload URL is refused, in S3's words. */
export type UrlRefusal =
  | { status: 400; Code: 'AuthorizationQueryParametersError'; Message: string }
  | { status: 403; Code: 'AccessDenied' | 'SignatureDoesNotMatch'; Message: string };

export class UploadUrlSigner {
  /** Drawn when the first URL is signed: a mock that never signs one never loads the crypto module. */
  #secret: Buffer | undefined;

  /** The query string of a presigned URL for `upload`. */
  sign(upload: PresignedUpload): string {
    const signing: SignedFields = {
      method: upload.method,
      path: upload.path,
      algorithm: ALGORITHM,
      credential: upload.credential,
      date: amzDate(upload.signedAt),
      expires: String(upload.expiresInSeconds),
      signedHeaders: upload.method === 'PUT' ? 'content-type;host' : 'host',
      contentType: upload.contentType,
    };
    return new URLSearchParams({
      'X-Amz-Algorithm': signing.algorithm,
      'X-Amz-Credential': signing.credential,
      'X-Amz-Date': signing.date,
      'X-Amz-Expires': signing.expires,
      'X-Amz-SignedHeaders': signing.signedHeaders,
      'X-Amz-Signature': this.#signature(signing),
    }).toString();
  }

  /**
   * Checks a received URL as S3 does: every signing parameter present, then not expired, then
   * the signature. Returns the refusal, or nothing when the URL is good.
   */
  check(method: 'PUT' | 'GET', path: string, credential: string, query: UploadQuery, contentType: string, now: Date): UrlRefusal | undefined {
    const {
      'X-Amz-Algorithm': algorithm,
      'X-Amz-Date': date,
      'X-Amz-Expires': expires,
      'X-Amz-SignedHeaders': signedHeaders,
      'X-Amz-Signature': signature,
    } = query;
    if (algorithm === undefined || date === undefined || expires === undefined || signedHeaders === undefined || signature === undefined) {
      return {
        status: 400,
        Code: 'AuthorizationQueryParametersError',
        Message: 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
      };
    }
    const signedAt = parseAmzDate(date);
    if (signedAt === undefined) {
      return { status: 400, Code: 'AuthorizationQueryParametersError', Message: `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"` };
    }
    if (!/^\d+$/.test(expires)) return { status: 400, Code: 'AuthorizationQueryParametersError', Message: 'X-Amz-Expires should be a number' };
    if (now.getTime() > signedAt.getTime() + Number(expires) * 1000) return { status: 403, Code: 'AccessDenied', Message: 'Request has expired' };

    const expected = Buffer.from(this.#signature({ method, path, algorithm, credential, date, expires, signedHeaders, contentType }));
    const actual = Buffer.from(signature);
    if (actual.length !== expected.length || !crypto().timingSafeEqual(actual, expected)) {
      return {
        status: 403,
        Code: 'SignatureDoesNotMatch',
        Message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
      };
    }
    return undefined;
  }

  #signature(fields: SignedFields): string {
    const { method, path, algorithm, credential, date, expires, signedHeaders, contentType } = fields;
    return crypto().createHmac('sha256', (this.#secret ??= crypto().randomBytes(32))).update([method, path, algorithm, credential, date, expires, signedHeaders, contentType].join('\n')).digest('hex');
  }
}

/** `20260301T090000Z`: SigV4's timestamp. */
function amzDate(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseAmzDate(value: string): Date | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const date = new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:${match[6]}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
