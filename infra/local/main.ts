import { retentionFromEnvironment } from '../../shared/adapters/dependencies.ts';
import { consoleLog, startLocalRuntime } from './runtime.ts';
import { demoReferrers, demoStaff } from './seed.ts';

const port = Number(process.env.PORT ?? 3000);
// DETAILS_RETENTION_DAYS and UNCLOSED_DETAILS_RETENTION_DAYS, as the stack sets them in Lambda.
const retention = retentionFromEnvironment();
// The emulators on worker threads, so they and the functions use both cores (a year of 120 teams'
// statistics read about a second faster: README, "Statistics at scale"); LOCAL_EMULATOR_THREADS=false keeps one thread.
const emulatorThreads = process.env.LOCAL_EMULATOR_THREADS !== 'false';
const runtime = await startLocalRuntime({ port, seed: true, log: consoleLog(), retention, emulatorThreads });
// Counted from process start, so it includes loading TypeScript and the emulators.
const seconds = process.uptime().toFixed(2);
const { fallbackPhone } = await runtime.deps.directory.getServiceSettings();
const fallbackLine = fallbackPhone
  ? `Service fallback    ${fallbackPhone}: texted when a referral would reach nobody (${runtime.url}/phone/${encodeURIComponent(fallbackPhone)})`
  : 'WARNING: no service fallback phone is set: a referral no team covers, or with nobody on duty to page, reaches nobody. Set one: PUT /api/service {"fallbackPhone"}';

console.log(`
dutyline is running locally (ready in ${seconds} s) on ${runtime.url}

  Referral form        ${runtime.url}/referrals/new  (sign in as ${demoReferrers.map((r) => r.username).join(' or ')})
  Local index          ${runtime.url}/local
  API description      ${runtime.url}/api/openapi.json
  Telephony webhook    POST ${runtime.url}/api/telephony/referrals  (integrator ${runtime.telephony.integrator}, secret ${runtime.telephony.secret})
  AMHP phones          ${demoStaff.map((s) => `${runtime.url}/phone/${encodeURIComponent(s.phone)}  (${s.name})`).join('\n                       ')}
  Referrer phones      ${demoReferrers.map((r) => `${runtime.url}/phone/${encodeURIComponent(r.phone)}`).join('\n                       ')}
  API health           ${runtime.url}/health
  Sign in (API)        POST ${runtime.url}/local/login {"username":"gp"}  (also: police, admin, ${demoStaff[0].id})

DynamoDB (dynalite) ${runtime.emulators.dynamodbEndpoint}, SQS/SNS (fauxqs) ${runtime.emulators.messagingEndpoint}
${fallbackLine}
Personal details kept ${retention.detailsDaysAfterClose} days after closing (${retention.detailsDaysUnclosed} from receipt if never closed); expired items swept every minute
Ctrl-C to stop.`);

const shutdown = async () => {
  await runtime.stop();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
