/** Who a caller is to dutyline. Cognito groups in AWS; the same names are the `roles` of local sign-in. */
export type Role = 'referrer' | 'amhp' | 'manager' | 'admin';

export const roles: Role[] = ['referrer', 'amhp', 'manager', 'admin'];
