import { crypto } from '../../../crypto.js';
import { ReplyError } from '../../../engine/reply.js';
import type { Handler, RequestContext } from '../../../engine/vendor.js';
import { forbidden } from '../errors.js';
import type { UploadQuery, UploadUrlSigner } from '../presigned-url.js';
import type { AsissoStore } from '../store.js';
import { findCampaign } from './campaigns.js';

interface PresignBody {
  file_name: string;
  file_size: number;
  content_type?: string;
}

/** Dograh's route code: a presigned upload URL lives 15 minutes, a download URL an hour. */
const EXPIRES_IN_SECONDS = 900;
const DOWNLOAD_EXPIRES_IN_SECONDS = 3600;

/** The file key a presigned URL's path names: `campaigns/{organization_id}/{object_name}`. */
function fileKeyOf(request: RequestContext): string {
  return `campaigns/${request.params.organization_id as string}/${request.params.object_name as string}`;
}

export function uploadHandlers(store: AsissoStore, signer: UploadUrlSigner): Record<string, Handler> {
  return {
    createPresignedUploadUrl(request) {
      const body = request.body as PresignBody;
      // Dograh's code: `campaigns/{org_id}/{uuid}_{file name}`, the name reduced to letters, digits, `.`, `_`, `-`.
      const fileKey = `campaigns/${request.sandbox.id}/${crypto().randomUUID()}_${body.file_name.replace(/[^a-zA-Z0-9._-]/g, '_')}`;
      const contentType = body.content_type ?? 'text/csv';
      store.insertUpload({ sandbox_id: request.sandbox.id, file_key: fileKey, content_type: contentType, max_size: body.file_size });
      const path = `/api/v1/s3/${fileKey}`;
      const query = signer.sign({ method: 'PUT', path, credential: request.sandbox.key, signedAt: request.now(), expiresInSeconds: EXPIRES_IN_SECONDS, contentType });
      return { status: 200, body: { upload_url: `${request.url.origin}${path}?${query}`, file_key: fileKey, expires_in: EXPIRES_IN_SECONDS } };
    },

    uploadCampaignSource(request) {
      const fileKey = fileKeyOf(request);
      const refusal = signer.check('PUT', `/api/v1/s3/${fileKey}`, request.sandbox.key, request.query as UploadQuery, request.header('content-type') ?? '', request.now());
      if (refusal) {
        const { status, ...error } = refusal;
        return { status, body: error };
      }
      const upload = store.getUpload(request.sandbox.id, fileKey);
      // A URL signed before its sandbox was reset names an upload that no longer exists.
      if (!upload) return { status: 403, body: { Code: 'AccessDenied', Message: 'Access Denied' } };
      const content = Buffer.from(request.body as Uint8Array);
      if (content.length > upload.max_size) {
        return { status: 400, body: { Code: 'EntityTooLarge', Message: 'Your proposed upload exceeds the maximum allowed size' } };
      }
      store.storeUpload(request.sandbox.id, fileKey, content, request.now().toISOString());
      return { status: 200, headers: { etag: `"${crypto().createHash('md5').update(content).digest('hex')}"` } };
    },

    getCampaignSourceDownloadUrl(request) {
      const campaign = findCampaign(store, request);
      // Dograh's check: the file must lie in the organization's own folder.
      if (!campaign.source_id.startsWith(`campaigns/${request.sandbox.id}/`)) {
        throw new ReplyError(forbidden('Access denied: Source file does not belong to your organization'));
      }
      const path = `/api/v1/s3/${campaign.source_id}`;
      const query = signer.sign({ method: 'GET', path, credential: request.sandbox.key, signedAt: request.now(), expiresInSeconds: DOWNLOAD_EXPIRES_IN_SECONDS, contentType: '' });
      return { status: 200, body: { download_url: `${request.url.origin}${path}?${query}`, expires_in: DOWNLOAD_EXPIRES_IN_SECONDS } };
    },

    downloadCampaignSource(request) {
      const fileKey = fileKeyOf(request);
      const refusal = signer.check('GET', `/api/v1/s3/${fileKey}`, request.sandbox.key, request.query as UploadQuery, '', request.now());
      if (refusal) {
        const { status, ...error } = refusal;
        return { status, body: error };
      }
      const upload = store.getUpload(request.sandbox.id, fileKey);
      if (!upload?.content) return { status: 404, body: { Code: 'NoSuchKey', Message: 'The specified key does not exist.' } };
      return {
        status: 200,
        headers: { 'content-type': upload.content_type, etag: `"${crypto().createHash('md5').update(upload.content).digest('hex')}"` },
        body: upload.content.toString('utf8'),
      };
    },
  };
}
