import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { SessionVerifier } from '../ports.ts';

/**
 * Session cookies hold a Cognito ID token: checked against the user pool's published keys (fetched
 * once and cached by aws-jwt-verify), its issuer, its audience (our web client) and its expiry.
 */
export class CognitoSessionVerifier implements SessionVerifier {
  private readonly verifier;

  constructor(config: { userPoolId: string; clientId: string }) {
    this.verifier = CognitoJwtVerifier.create({ userPoolId: config.userPoolId, clientId: config.clientId, tokenUse: 'id' });
  }

  async verify(idToken: string): Promise<Record<string, unknown> | null> {
    try {
      return (await this.verifier.verify(idToken)) as Record<string, unknown>;
    } catch {
      return null;
    }
  }
}
