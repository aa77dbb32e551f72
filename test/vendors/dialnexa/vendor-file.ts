import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * DialNexa's own published OpenAPI for batch calls (the batch-calls OpenAPI). It carries no license, so it is not in
 * the repository: it is read from the shared reference folder beside the checkout, else from the
 * workspace's, and the tests that need it are skipped when neither exists.
 */
export const VENDOR_FILE_PLACES: readonly string[] = [
  fileURLToPath(new URL('../../../../shared/reference/dialnexa-batch-calls-openapi.yml', import.meta.url)),
  '/work/shared/reference/dialnexa-batch-calls-openapi.yml',
];

/** The vendor's file, or undefined when it is in none of its places. */
export const VENDOR_FILE: string | undefined = VENDOR_FILE_PLACES.find((place) => existsSync(place));

/** Why a test that needs the vendor's file was skipped. */
export const VENDOR_FILE_MISSING = `DialNexa's batch-calls OpenAPI was not found at ${VENDOR_FILE_PLACES.join(' or ')}; the tests against it are skipped`;
