import type { VendorModule } from '../engine/vendor.js';
import { dialnexa } from './dialnexa/index.js';
import { sarvam } from './sarvam/index.js';

/** Every vendor campaign-mock serves, in the order they are listed at startup. */
export const VENDORS: readonly VendorModule[] = [dialnexa, sarvam];
