import type { VendorModule } from '../engine/vendor.js';
import { asisso } from './asisso/index.js';
import { dialnexa } from './dialnexa/index.js';
import { sarvam } from './sarvam/index.js';

/**
 * Every vendor campaign-mock serves, in the order they are listed at startup. A vendor is its
 * folder here and its spec in `specs/` (a test holds the two lists one to one).
 */
export const VENDORS = [dialnexa, asisso, sarvam] as const satisfies readonly VendorModule[];

/** The name of a vendor campaign-mock ships: `dialnexa`, `asisso` or `sarvam`. */
export type VendorName = (typeof VENDORS)[number]['name'];
