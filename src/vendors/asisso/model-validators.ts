import { ReplyError } from '../../engine/reply.js';
import { fastapiError, valueError, valueErrorItem, type PydanticError } from '../../frameworks/fastapi/index.js';
import { isZoneInfoKey } from '../../frameworks/fastapi/index.js';
import type { TimeSlot } from './settings.js';

/**
 * The checks Dograh's pydantic models make in validators rather than in their schema (Dograh's code), so
 * the spec cannot express them: each fails as pydantic's `value_error`. They run once the body
 * has passed the schema, as pydantic runs a model's validators once its fields are valid.
 */

interface ScheduleInput {
  timezone?: string;
  slots: TimeSlot[];
}

/**
 * `ScheduleConfigRequest`: a valid IANA time zone (a field validator) and, in each slot,
 * `start_time` before `end_time` (a model validator of `TimeSlotRequest`, comparing the texts).
 * Answers a 422 listing every failure, in field order, or returns.
 */
export function assertValidSchedule(schedule: ScheduleInput | null | undefined, loc: Array<string | number>): void {
  if (!schedule) return;
  const errors: PydanticError[] = [];
  if (schedule.timezone !== undefined && !isZoneInfoKey(schedule.timezone)) {
    errors.push(valueErrorItem([...loc, 'timezone'], `Invalid timezone: ${schedule.timezone}`, schedule.timezone));
  }
  schedule.slots.forEach((slot, index) => {
    if (slot.start_time >= slot.end_time) errors.push(valueErrorItem([...loc, 'slots', index], 'start_time must be before end_time', slot));
  });
  if (errors.length > 0) throw new ReplyError(fastapiError(422, errors));
}

interface RedialReasons {
  retry_on_voicemail?: boolean;
  retry_on_no_answer?: boolean;
  retry_on_busy?: boolean;
}

/** `RedialCampaignRequest`'s model validator: at least one reason to redial (each defaults to true). */
export function assertSomeRedialReason(body: RedialReasons): void {
  const { retry_on_voicemail = true, retry_on_no_answer = true, retry_on_busy = true } = body;
  if (!(retry_on_voicemail || retry_on_no_answer || retry_on_busy)) {
    throw new ReplyError(valueError(['body'], 'At least one of retry_on_voicemail, retry_on_no_answer, retry_on_busy must be true', body));
  }
}
