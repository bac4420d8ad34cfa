import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context } from 'aws-lambda';
import { dependenciesFromEnvironment } from '../../shared/adapters/dependencies.ts';
import type { Dependencies } from '../../shared/ports.ts';
import { log, logger, metrics } from './powertools.ts';

export type Handler<E, R> = (event: E, context: Context) => Promise<R>;

/**
 * Each function module exports `makeHandler(deps)`, which the local runtime calls with adapters
 * pointed at the emulators, and `handler`, which Lambda calls: the same code, wired from the
 * environment on first use (so importing a module never touches AWS).
 */
export function lambdaEntry<E, R>(makeHandler: (deps: Dependencies) => Handler<E, R>) {
  let wired: Handler<E, R> | undefined;
  return middy<E, R>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    // EMF lines for what this invocation counted, whether it returned or threw.
    .use({ after: () => metrics.flush(), onError: () => metrics.flush() })
    .handler((event, context) => (wired ??= makeHandler(dependenciesFromEnvironment(log, metrics)))(event, context));
}
