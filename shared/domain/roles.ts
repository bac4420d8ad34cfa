/** Who a caller is to dutyline. Cognito groups in AWS; the same names are the `roles` of local sign-in. */
/** `synthetic`: a test identity (the canary's, the smoke test's) whose referrals are synthetic (shared/domain/synthetic.ts). */
export type Role = 'referrer' | 'amhp' | 'manager' | 'admin' | 'synthetic';

export const roles: Role[] = ['referrer', 'amhp', 'manager', 'admin', 'synthetic'];
