/**
 * The one description of dutyline's AWS resources. The CDK stack (infra/stack.ts) and the local
 * runtime (infra/local/) are both built from it, and test/infra/agreement.test.ts proves the
 * synthesized template and the local runtime agree. Plain data only: no aws-cdk-lib import here,
 * because the local runtime loads this file too. The names functions read at run time (environment
 * variables, roles) are in infra/definition-names.ts, which a function bundle imports instead.
 * The parts: infra/definition/resources.ts (tables, queues, topic), functions.ts (functions and
 * their triggers), routes.ts (the HTTP API).
 */

export * from './definition/resources.ts';
export * from './definition/functions.ts';
export * from './definition/routes.ts';
export { roles, settings, type Role } from './definition-names.ts';
