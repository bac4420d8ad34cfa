import type { SmsSender } from '../../shared/ports.ts';

export interface LocalSms {
  id: number;
  at: string;
  direction: 'outbound' | 'inbound';
  /** The phone at the far end: the recipient of an outbound message, the sender of an inbound one. */
  phone: string;
  body: string;
}

/** AWS SMS has no local emulator: the local runtime's SMS sender keeps what it would have sent. */
export class LocalSmsOutbox implements SmsSender {
  private readonly messages: LocalSms[] = [];
  private readonly waiters = new Set<() => void>();

  async send(to: string, text: string): Promise<void> {
    this.record('outbound', to, text);
  }

  record(direction: LocalSms['direction'], phone: string, body: string): void {
    this.messages.push({ id: this.messages.length + 1, at: new Date().toISOString(), direction, phone, body });
    for (const wake of this.waiters) wake();
  }

  list(phone?: string): LocalSms[] {
    return phone ? this.messages.filter((m) => m.phone === phone) : [...this.messages];
  }

  /** Resolves with the first message matching, waiting up to `timeoutMs` for it. */
  async waitFor(match: (sms: LocalSms) => boolean, timeoutMs: number): Promise<LocalSms> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for an SMS');
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }
}
