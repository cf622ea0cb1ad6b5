/** Time is injected everywhere: expiry, revocation cut-offs and clock-skew checks are tested with a fixed clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(initial: Date): Clock & { set(date: Date): void; advance(ms: number): void } {
  let current = initial.getTime();
  return {
    now: () => new Date(current),
    set: (date: Date) => { current = date.getTime(); },
    advance: (ms: number) => { current += ms; },
  };
}

/** AWS's ISO 8601 form with whole seconds, as IAM and STS write timestamps: 2026-11-28T10:00:00Z. */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
