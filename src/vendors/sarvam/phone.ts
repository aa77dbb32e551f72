import { toE164 } from '../../formats/phone.js';

/**
 * A cohort phone number in E.164 (Sarvam's "Stream Cohort" page: "E.164 preferred; 10-digit Indian numbers are normalized
 * automatically"), or `undefined` when it is neither.
 *
 * @example
 * toCohortPhone('98765 43210');    // '+919876543210'
 * toCohortPhone('+1 415 555 0100'); // '+14155550100'
 */
export function toCohortPhone(written: string): string | undefined {
  const compact = written.trim().replace(/[\s().-]/g, '');
  return /^[0-9]{10}$/.test(compact) ? `+91${compact}` : toE164(compact);
}
