/**
 * `npm run stateful-record`: writes infra/stateful-resources.json, the record of the stateful
 * resources as released. Run it on purpose, when a release that changes them has been deployed
 * (or is the one to deploy): test/infra/stateful-resources.test.ts compares every change with it.
 */
import { writeFileSync } from 'node:fs';
import { statefulResourcesOf } from '../infra/stateful-resources.ts';
import { synthesizeTemplate } from './synthesize-template.ts';

const target = new URL('../infra/stateful-resources.json', import.meta.url);
const record = statefulResourcesOf(synthesizeTemplate());
writeFileSync(target, `${JSON.stringify(record, null, 2)}\n`);
console.log(`recorded ${Object.keys(record).length} stateful resources in infra/stateful-resources.json`);
