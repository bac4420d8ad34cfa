import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * `npm run bench`: runs every test/bench/*.bench.ts in turn (or those named on the command
 * line). Each prints its own table and writes JSON under bench-results/. Not part of `npm test`.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => wanted.length === 0 || wanted.some((w) => file.includes(w)))
  .sort();

for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const bench = (await import(pathToFileURL(path.join(here, file)).href)) as { run: () => Promise<void> };
  await bench.run();
}
