import { request } from '../../shared/adapters/fetch-api.ts';
import { CANARY_ROUTING_TIMEOUT_MS, CANARY_TEAM, type CanaryRun, type CanarySettings } from '../../shared/app/canary.ts';
import { StepFailed } from '../../shared/app/line-check.ts';
import { SYNTHETIC_ROLE } from '../../shared/domain/synthetic.ts';
import type { LocalIdentityProvider } from './identity.ts';
import type { LocalSmsOutbox } from './sms-outbox.ts';

/** A drama-range number (Ofcom: never a real phone): the local canary team's AMHP and referrer. */
export const LOCAL_CANARY_PHONE = '+447700900998';

/**
 * The canary as the local runtime runs it: through the runtime's own HTTP API, signed in by the
 * local identity provider, keeping its team itself as an administrator would (in AWS the runbook
 * sets the team up once), and the page read from the SMS outbox. Keeps the last run for `/local`.
 */
export class LocalCanary {
  last: CanaryRun | undefined;
  runs = 0;

  constructor(
    private readonly url: string,
    private readonly identity: LocalIdentityProvider,
    private readonly outbox: LocalSmsOutbox,
    private readonly routingTimeoutMs = CANARY_ROUTING_TIMEOUT_MS,
  ) {}

  get settings(): CanarySettings {
    const token = async (username: string, roles?: string[]) => {
      const result = await this.identity.signIn(username, roles);
      if ('token' in result) return result.token;
      throw new StepFailed(`local sign-in as ${username}: ${result.error}`);
    };
    return {
      api: (method, path, options) => request(this.url, method, path, options),
      plan: { label: 'canary', ...CANARY_TEAM, phone: LOCAL_CANARY_PHONE, timeoutMs: this.routingTimeoutMs },
      signIn: async () => ({
        admin: await token('admin', ['admin']),
        referrer: await token('canary-referrer', ['referrer', SYNTHETIC_ROLE]),
        amhp: '',
        signInAsAmhp: () => token(CANARY_TEAM.staffId),
      }),
      pageTexted: async (reference, timeoutMs) => {
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          if (this.outbox.list(LOCAL_CANARY_PHONE).some((sms) => sms.direction === 'outbound' && sms.body.includes(reference))) return true;
          if (Date.now() > deadline) return false;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      },
      onResult: (run) => {
        this.last = run;
        this.runs += 1;
      },
    };
  }
}
