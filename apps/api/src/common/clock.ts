// The one source of "now" for services; tests and the deadline sweep substitute their own.
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };
