import { ssmlToWords } from '../../shared/domain/voice.ts';
import type { VoiceCaller } from '../../shared/ports.ts';

export interface LocalCall {
  id: number;
  at: string;
  /** The phone rung. */
  phone: string;
  /** What the call says, as plain text. */
  words: string;
  /** What End User Messaging would have been given to speak. */
  ssml: string;
}

/** Voice calls have no local emulator: the local runtime's caller keeps each call it would have made. */
export class LocalCallOutbox implements VoiceCaller {
  private readonly calls: LocalCall[] = [];

  async call(to: string, ssml: string): Promise<void> {
    this.calls.push({ id: this.calls.length + 1, at: new Date().toISOString(), phone: to, words: ssmlToWords(ssml), ssml });
  }

  list(phone?: string): LocalCall[] {
    return phone ? this.calls.filter((call) => call.phone === phone) : [...this.calls];
  }
}
