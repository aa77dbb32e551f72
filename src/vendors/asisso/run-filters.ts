import { ReplyError } from '../../engine/reply.js';
import { badRequest, forbidden } from './errors.js';
import type { RunCondition } from './store.js';

/**
 * Reads the `filters` parameter of `GET …/runs`: a JSON array of `{attribute, type, value}`
 * (Dograh's code `campaign.py` and `api/db/filters.py`). An attribute outside Dograh's code's allowed set is a 403; a
 * filter whose type does not fit its attribute is ignored, as Dograh ignores it. Runs carry no
 * cost, sentiment, QA tags or quality score in the mock, so bounding one of those matches none.
 */

const ALLOWED_ATTRIBUTES = new Set(['dateRange', 'dispositionCode', 'duration', 'status', 'tokenUsage', 'sentiment', 'qaTags', 'callQualityScore']);

const INVALID = 'Invalid filter format';

interface FilterItem {
  attribute?: unknown;
  type?: unknown;
  value?: unknown;
}

export function runConditionsFrom(filters: string | undefined): RunCondition[] {
  if (!filters) return [];
  let items: unknown;
  try {
    items = JSON.parse(filters);
  } catch {
    throw new ReplyError(badRequest(INVALID));
  }
  // Dograh fails with a 500 on JSON that is not a list of objects; the mock answers its 400.
  if (!Array.isArray(items) || !items.every(isObject)) throw new ReplyError(badRequest(INVALID));
  for (const item of items as FilterItem[]) {
    if (item.attribute && !ALLOWED_ATTRIBUTES.has(String(item.attribute))) {
      throw new ReplyError(forbidden(`Invalid attribute '${String(item.attribute)}'`));
    }
  }
  return (items as FilterItem[]).flatMap(conditionsOf);
}

function conditionsOf(item: FilterItem): RunCondition[] {
  const value = item.value ?? {};
  if (!isObject(value)) throw new ReplyError(badRequest(INVALID));
  const kind = `${String(item.attribute)}:${String(item.type)}`;
  switch (kind) {
    case 'dateRange:dateRange':
      return [
        ...optional(value.from, (from) => ({ field: 'created_at', op: '>=', value: isoTime(from) })),
        ...optional(value.to, (to) => ({ field: 'created_at', op: '<=', value: isoTime(to) })),
      ];
    case 'dispositionCode:multiSelect': {
      const codes = codesOf(value);
      return codes.length > 0 ? [{ field: 'disposition', op: 'in', value: codes }] : [];
    }
    case 'status:radio':
      if (value.status === 'completed') return [{ field: 'is_completed', op: '=', value: 1 }];
      if (value.status === 'in_progress') return [{ field: 'is_completed', op: '=', value: 0 }];
      return [];
    case 'duration:numberRange':
      return [
        ...optional(value.min, (min) => ({ field: 'duration_seconds', op: '>=', value: numberOf(min) })),
        ...optional(value.max, (max) => ({ field: 'duration_seconds', op: '<=', value: numberOf(max) })),
      ];
    case 'tokenUsage:numberRange':
    case 'callQualityScore:numberRange':
      return (value.min ?? value.max ?? null) === null ? [] : [{ field: 'never' }];
    case 'sentiment:multiSelect':
    case 'sentiment:tags':
    case 'qaTags:multiSelect':
    case 'qaTags:tags':
      return codesOf(value).length > 0 ? [{ field: 'never' }] : [];
    default:
      return [];
  }
}

/** Dograh skips a bound that is absent, null, or (for dates) empty. */
function optional(value: unknown, condition: (value: unknown) => RunCondition): RunCondition[] {
  return value === undefined || value === null || value === '' ? [] : [condition(value)];
}

function codesOf(value: Record<string, unknown>): string[] {
  const codes = value.codes ?? [];
  if (!Array.isArray(codes) || !codes.every((code) => typeof code === 'string')) throw new ReplyError(badRequest(INVALID));
  return codes;
}

function numberOf(value: unknown): number {
  if (typeof value !== 'number') throw new ReplyError(badRequest(INVALID));
  return value;
}

/** Python's `datetime.fromisoformat`: a date, or a date and time; without an offset, UTC. */
function isoTime(value: unknown): string {
  const match = typeof value === 'string' ? /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?))?(Z|[+-]\d{2}:\d{2})?$/.exec(value) : null;
  if (!match) throw new ReplyError(badRequest(INVALID));
  const [, date, time = '00:00', zone = 'Z'] = match;
  const parsed = Date.parse(`${date}T${time}${zone}`);
  if (Number.isNaN(parsed)) throw new ReplyError(badRequest(INVALID));
  return new Date(parsed).toISOString();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
