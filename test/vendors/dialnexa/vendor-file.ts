import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The environment variable that names a folder holding the vendor's file. */
export const REFERENCE_DIR_VARIABLE = 'CAMPAIGN_MOCK_REFERENCE_DIR';

/** The vendor's file's name, in whichever folder holds it. */
export const VENDOR_FILE_NAME = 'dialnexa-batch-calls-openapi.yml';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const referenceDir = process.env[REFERENCE_DIR_VARIABLE];
/** The folder `shared/reference` beside the checkout, where a team may keep its reference files. */
const besideCheckout = resolve(ROOT, '../shared/reference', VENDOR_FILE_NAME);

/**
 * DialNexa's own published OpenAPI for batch calls (the batch-calls OpenAPI). It carries no
 * license, so it is not in the repository: it is read from the folder CAMPAIGN_MOCK_REFERENCE_DIR
 * names, else from `../shared/reference` beside the checkout, and the tests that need it are
 * skipped, saying so, when neither holds it.
 */
export const VENDOR_FILE_PLACES: readonly string[] = [...(referenceDir ? [resolve(referenceDir, VENDOR_FILE_NAME)] : []), besideCheckout];

/** The vendor's file, or undefined when it is in none of its places. */
export const VENDOR_FILE: string | undefined = VENDOR_FILE_PLACES.find((place) => existsSync(place));

const tried = [
  referenceDir ? `${REFERENCE_DIR_VARIABLE} (${resolve(referenceDir, VENDOR_FILE_NAME)})` : `${REFERENCE_DIR_VARIABLE} (not set)`,
  `${relative(ROOT, besideCheckout)} (beside the checkout)`,
];

/** Why a test that needs the vendor's file was skipped, and how to run it. */
export const VENDOR_FILE_MISSING = `DialNexa's batch-calls OpenAPI (${VENDOR_FILE_NAME}) is in neither ${tried.join(' nor ')}; set ${REFERENCE_DIR_VARIABLE} to a folder that holds it to run the tests against it`;
