import { ReplyError } from '../../engine/reply.js';
import { valueError } from '../../frameworks/fastapi/index.js';
import { isZoneInfoKey } from '../../frameworks/fastapi/index.js';

/**
 * The checks a pydantic model runs after its fields are valid, answered as pydantic's
 * `value_error`. None is documented by Sarvam; see x-mock-inferred on create-campaign.
 */

export interface AllowedSchedule {
  allowed_start_time: string;
  allowed_end_time: string;
  allowed_days: string[];
  timezone: string;
}

/** allowed_schedule: an IANA timezone (a field validator), and a window that opens before it closes. */
export function assertValidSchedule(schedule: AllowedSchedule, loc: Array<string | number>): void {
  if (!isZoneInfoKey(schedule.timezone)) {
    throw new ReplyError(valueError([...loc, 'timezone'], `${schedule.timezone} is not an IANA time zone`, schedule.timezone));
  }
  // "HH:MM" strings compare as times.
  if (schedule.allowed_start_time >= schedule.allowed_end_time) {
    throw new ReplyError(valueError(loc, 'allowed_start_time must be before allowed_end_time', schedule));
  }
}

/** A campaign's window: it must end after it starts, and in the future. */
export function assertValidWindow(startTimestamp: string, endTimestamp: string, now: Date, body: unknown): void {
  if (Date.parse(endTimestamp) <= Date.parse(startTimestamp)) {
    throw new ReplyError(valueError(['body'], 'end_timestamp must be after start_timestamp', body));
  }
  if (Date.parse(endTimestamp) <= now.getTime()) {
    throw new ReplyError(valueError(['body'], 'end_timestamp must be in the future', body));
  }
}

/** Sarvam's "Update Campaign" page: start_timestamp is not updatable; refused rather than silently ignored. */
export function assertStartNotUpdated(body: Record<string, unknown>): void {
  if ('start_timestamp' in body) throw new ReplyError(valueError(['body'], 'start_timestamp cannot be updated', body));
}
