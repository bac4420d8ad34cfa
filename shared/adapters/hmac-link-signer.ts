import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LinkSigner } from '../ports.ts';

/**
 * Accept-link tokens are `<link id>.<MAC>`: short enough for an SMS, and a guessed or altered id
 * is refused before any lookup. Single use and expiry are enforced by the stored link.
 */
export class HmacLinkSigner implements LinkSigner {
  constructor(private readonly secret: () => Promise<string>) {}

  async sign(linkId: string): Promise<string> {
    return `${linkId}.${await this.mac(linkId)}`;
  }

  async verify(token: string): Promise<string | null> {
    const match = /^([0-9A-Za-z_-]{16,64})\.([0-9A-Za-z_-]{22})$/.exec(token);
    if (!match) return null;
    const [, linkId = '', mac = ''] = match;
    const expected = Buffer.from(await this.mac(linkId));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given) ? linkId : null;
  }

  private async mac(linkId: string): Promise<string> {
    return createHmac('sha256', await this.secret()).update(linkId).digest('base64url').slice(0, 22);
  }
}
