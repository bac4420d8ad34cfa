import { Logger } from '@aws-lambda-powertools/logger';
import { PowertoolsMetrics } from '../../shared/adapters/powertools-metrics.ts';
import type { Log } from '../../shared/ports.ts';

/** One logger per process. Callers pass ids and codes only: no personal data is ever logged. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'dutyline' });

export const log: Log = {
  info: (message, extra) => logger.info(message, extra ?? {}),
  warn: (message, extra) => logger.warn(message, extra ?? {}),
  error: (message, extra) => logger.error(message, extra ?? {}),
};

/** One metrics buffer per process, flushed at the end of every invocation (wiring.ts). */
export const metrics = new PowertoolsMetrics();
