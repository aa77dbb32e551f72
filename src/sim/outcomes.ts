/**
 * How one call attempt ends. `short` connects but hangs up within seconds; `failed`,
 * `provider_error` and `internal_error` never connect: the line, the telephony provider or the
 * voice platform itself fails (vendors that do not tell them apart read all three as `failed`).
 */
export type Outcome = 'completed' | 'busy' | 'no_answer' | 'voicemail' | 'failed' | 'short' | 'provider_error' | 'internal_error';

/**
 * Magic phone numbers, as test card numbers work for payments: the last four digits decide how
 * every call to the number ends. Any other number answers and completes.
 */
export const MAGIC_ENDINGS: ReadonlyArray<{ ending: string; outcome: Outcome; means: string }> = [
  { ending: '0001', outcome: 'busy', means: 'busy: rejected after a few seconds of ringing' },
  { ending: '0002', outcome: 'no_answer', means: 'no answer: rings for 30 seconds' },
  { ending: '0003', outcome: 'voicemail', means: 'voicemail picks up: 20-39 seconds' },
  { ending: '0004', outcome: 'failed', means: 'the call fails to connect (a telephony error)' },
  { ending: '0005', outcome: 'short', means: 'answered, then hung up within 3-9 seconds' },
  { ending: '0006', outcome: 'provider_error', means: 'the telephony provider errors before the call connects' },
  { ending: '0007', outcome: 'internal_error', means: "the voice platform errors before the call connects" },
];

export function outcomeOf(phoneNumber: string): Outcome {
  const digits = phoneNumber.replace(/\D/g, '');
  return MAGIC_ENDINGS.find((magic) => digits.endsWith(magic.ending))?.outcome ?? 'completed';
}

export interface CallTiming {
  /** How long the attempt holds a line, from dialing to hang-up, in seconds. */
  holdSeconds: number;
  /** Seconds of conversation: 0 when nobody (or nothing) answered. */
  talkSeconds: number;
}

/**
 * Realistic, deterministic timings: the same number, attempt and outcome always give the same
 * seconds, so a test can rely on them.
 */
export function callTiming(phoneNumber: string, attempt: number, outcome: Outcome): CallTiming {
  const spread = fnv1a(`${phoneNumber}#${attempt}`);
  switch (outcome) {
    case 'completed': {
      const talk = 45 + (spread % 196); // 45-240 s
      return { holdSeconds: talk + 8, talkSeconds: talk };
    }
    case 'short': {
      const talk = 3 + (spread % 7); // 3-9 s
      return { holdSeconds: talk + 8, talkSeconds: talk };
    }
    case 'voicemail': {
      const talk = 20 + (spread % 20); // 20-39 s
      return { holdSeconds: talk + 8, talkSeconds: talk };
    }
    case 'busy':
      return { holdSeconds: 3 + (spread % 5), talkSeconds: 0 };
    case 'no_answer':
      return { holdSeconds: 30, talkSeconds: 0 };
    case 'failed':
    case 'provider_error':
    case 'internal_error':
      return { holdSeconds: 1, talkSeconds: 0 };
  }
}

/** FNV-1a, 32 bits: a cheap, stable spread of a string (not for anything secret). */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
