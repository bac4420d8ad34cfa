/** `npm run smoke`: see tools/ops/smoke.ts. */
import { runSmoke } from './ops/smoke.ts';

process.exitCode = await runSmoke(process.argv.slice(2));
