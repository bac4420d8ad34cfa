/** `npm run load`: see tools/ops/load.ts. */
import { runLoad } from './ops/load.ts';

process.exitCode = await runLoad(process.argv.slice(2));
