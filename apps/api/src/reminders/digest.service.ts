import type { Scope } from '../common/scope';
import { endOfVietnamDayAfter, vietnamDate } from '../common/vietnam-time';
import type { NotificationRepository } from '../repositories/notification.repository';

export const DIGEST_WINDOW_DAYS = 7;

// Writes the daily digests (no sending: a gateway reads the undelivered rows), once per agency
// and Vietnam day however many instances run it.
export class DigestService {
  constructor(private readonly notifications: NotificationRepository) {}

  // Returns how many digests this call wrote (0 when they were already written for the day).
  runDaily(scope: Scope, asOf: Date): Promise<number> {
    return this.notifications.writeDailyDigests(scope, asOf, endOfVietnamDayAfter(asOf, DIGEST_WINDOW_DAYS), vietnamDate(asOf));
  }
}
