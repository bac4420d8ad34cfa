/**
 * Per-number limits, so that a storm of referrals or a reply loop cannot flood one phone, and
 * optional SMS (help and confirmations) stay bounded. Pages over their limit count as not
 * delivered: the chain moves on and the manager is told. Pages, fallback alerts and clock
 * warnings are never withheld to save money; the account-level spend limit (End User Messaging
 * SMS or SNS) is the hard cap and is set at deployment.
 */
export const smsLimits = {
  pagesPerPhone: { limit: 30, windowSeconds: 600 },
  repliesPerPhone: { limit: 10, windowSeconds: 3_600 },
  helpPerPhone: { limit: 3, windowSeconds: 3_600 },
  repliesPerDay: { limit: 2_000, windowSeconds: 86_400 },
  /** Phone verification codes: a few per person and per number an hour. */
  verificationCodes: {
    perStaff: { limit: 5, windowSeconds: 3_600 },
    perPhone: { limit: 5, windowSeconds: 3_600 },
  },
  /** Shift notices and rota-change notices to one person (shared/app/shift-notices.ts): a few a day. */
  shiftNoticesPerPhone: { limit: 8, windowSeconds: 86_400 },
  /** Texts to a manager that a rota position starts empty: one per position per gap, so a dozen a day is already a broken rota. */
  emptyPositionAlertsPerPhone: { limit: 12, windowSeconds: 86_400 },
  /** Voice calls after unanswered pages: a phone rung more often than this is left to its texts. */
  callsPerPhone: { limit: 6, windowSeconds: 3_600 },
} as const;
