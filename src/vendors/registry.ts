import type { VendorModule } from '../engine/vendor.js';
import { asisso } from './asisso/index.js';
import { dialnexa } from './dialnexa/index.js';
import { sarvam } from './sarvam/index.js';

/** Every vendor campaign-mock serves, in the order they are listed at startup. */
export const VENDORS: readonly VendorModule[] = [dialnexa, asisso, sarvam];
