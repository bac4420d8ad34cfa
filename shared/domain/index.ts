/** The pure domain core of dutyline: rules and wording as functions of their inputs and a given time. */
export * from './types.ts';
export * from './nhs-number.ts';
export * from './postcode.ts';
export * from './phone.ts';
export * from './police-forces.ts';
export * from './validation.ts';
export * from './referral-schema.ts';
export * from './admin-schemas.ts';
export * from './reference.ts';
export * from './team.ts';
export * from './rota.ts';
export * from './escalation.ts';
export * from './sms.ts';
export * from './reply.ts';
export * from './clocks.ts';
