import type { ContractPlan } from '../plan.js';
import { asissoPlan } from './asisso.js';
import { dialnexaPlan } from './dialnexa.js';
import { sarvamPlan } from './sarvam.js';

/** The contract plan of each vendor, by the vendor's name. */
export const PLANS: Readonly<Record<string, ContractPlan>> = {
  dialnexa: dialnexaPlan,
  asisso: asissoPlan,
  sarvam: sarvamPlan,
};
