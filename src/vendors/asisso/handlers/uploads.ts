import { createHash, randomUUID } from 'node:crypto';
import type { Handler } from '../../../engine/vendor.js';
import type { UploadQuery, UploadUrlSigner } from '../presigned-url.js';
import type { AsissoStore } from '../store.js';

interface PresignBody {
  file_name: string;
  file_size: number;
  content_type?: string;
}

/** G4: a presigned upload URL lives 15 minutes. */
const EXPIRES_IN_SECONDS = 900;

export function uploadHandlers(store: AsissoStore, signer: UploadUrlSigner): Record<string, Handler> {
  return {
    createPresignedUploadUrl(request) {
      const body = request.body as PresignBody;
      // G4: `campaigns/{org_id}/{uuid}_{file name}`, the name reduced to letters, digits, `.`, `_`, `-`.
      const fileKey = `campaigns/${request.sandbox.id}/${randomUUID()}_${body.file_name.replace(/[^a-zA-Z0-9._-]/g, '_')}`;
      const contentType = body.content_type ?? 'text/csv';
      store.insertUpload({ sandbox_id: request.sandbox.id, file_key: fileKey, content_type: contentType, max_size: body.file_size });
      const path = `/api/v1/s3/${fileKey}`;
      const query = signer.sign({ path, credential: request.sandbox.key, signedAt: request.now(), expiresInSeconds: EXPIRES_IN_SECONDS, contentType });
      return { status: 200, body: { upload_url: `${request.url.origin}${path}?${query}`, file_key: fileKey, expires_in: EXPIRES_IN_SECONDS } };
    },

    uploadCampaignSource(request) {
      const fileKey = `campaigns/${request.params.organization_id as string}/${request.params.object_name as string}`;
      const refusal = signer.check(`/api/v1/s3/${fileKey}`, request.sandbox.key, request.query as UploadQuery, request.headers['content-type'] ?? '', request.now());
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
      return { status: 200, headers: { etag: `"${createHash('md5').update(content).digest('hex')}"` } };
    },
  };
}
