import { createHash, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { roles as knownRoles, type Role } from '../definition.ts';
import type { DirectoryStore, SessionVerifier, SignInFlow } from '../../shared/ports.ts';

interface LocalUser {
  username: string;
  roles: Role[];
  staffId?: string;
  /** Standard ID-token claims Cognito carries when the user has them: `name`, `phone_number`. */
  name?: string;
  phone?: string;
}

/** A code from the local sign-in page, waiting to be traded at /auth/callback. */
interface PendingCode {
  token: string;
  codeChallenge: string;
  redirectUri: string;
  expiresAt: number;
}

const CODE_TTL_MS = 60_000;

/**
 * The local stand-in for Cognito: it signs in by username and issues a token carrying the same
 * claims Cognito puts in an ID token (`sub`, `cognito:groups`, `custom:staffId`, `name`,
 * `phone_number`), so handlers read callers the same way in both places. For the web pages it
 * also plays the hosted UI: the authorization code flow with PKCE, through the local sign-in page.
 */
export class LocalIdentityProvider implements SignInFlow {
  private readonly secret = randomBytes(32);
  private readonly users = new Map<string, LocalUser>();
  private readonly codes = new Map<string, PendingCode>();

  constructor(private readonly directory: DirectoryStore) {}

  addUser(user: LocalUser): void {
    this.users.set(user.username, user);
  }

  /** Seeded users, for the local sign-in page to offer. */
  knownUsers(): LocalUser[] {
    return [...this.users.values()];
  }

  /** Seeded users; then staff by staffId; then, given roles, a new user made on the spot. */
  async signIn(username: string, roles?: string[]): Promise<{ token: string } | { error: string }> {
    let user = this.users.get(username);
    if (!user) {
      const staff = await this.directory.getStaff(username);
      if (staff) user = { username, roles: staff.roles, staffId: staff.id, name: staff.name, phone: staff.phone };
    }
    if (!user && roles) {
      const valid = roles.filter((r): r is Role => (knownRoles as string[]).includes(r));
      if (valid.length === 0 || valid.length !== roles.length) return { error: `roles must be some of ${knownRoles.join(', ')}` };
      user = { username, roles: valid };
      this.addUser(user);
    }
    if (!user) return { error: 'unknown user; give roles to create one' };
    const token = await new SignJWT({
      'cognito:groups': user.roles,
      ...(user.staffId ? { 'custom:staffId': user.staffId } : {}),
      ...(user.name ? { name: user.name } : {}),
      ...(user.phone ? { phone_number: user.phone } : {}),
      token_use: 'id',
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.username)
      .setIssuer('dutyline-local')
      .setIssuedAt()
      .setExpirationTime('12h')
      .sign(this.secret);
    return { token };
  }

  async verify(authorization: string | undefined): Promise<JWTPayload | null> {
    const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
    return match?.[1] ? this.verifyToken(match[1]) : null;
  }

  /** An ID token on its own, as the web session cookie holds it. */
  async verifyToken(token: string): Promise<JWTPayload | null> {
    try {
      const { payload } = await jwtVerify(token, this.secret, { issuer: 'dutyline-local' });
      return payload;
    } catch {
      return null;
    }
  }

  /** For the web pages: their cookie holds the bare token, not an Authorization header. */
  readonly sessionVerifier: SessionVerifier = { verify: (token) => this.verifyToken(token) as Promise<Record<string, unknown> | null> };

  // SignInFlow: the local sign-in page stands where Cognito's hosted UI is in AWS.
  authorizeUrl(input: { state: string; codeChallenge: string; redirectUri: string }): string {
    const query = new URLSearchParams({ state: input.state, code_challenge: input.codeChallenge, redirect_uri: input.redirectUri });
    return `/local/sign-in?${query.toString()}`;
  }

  /** The local sign-in page's answer: a one-minute, single-use code bound to the PKCE challenge. */
  async issueCode(username: string, roles: string[] | undefined, input: { codeChallenge: string; redirectUri: string }) {
    const signedIn = await this.signIn(username, roles);
    if (!('token' in signedIn)) return signedIn;
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { token: signedIn.token, ...input, expiresAt: Date.now() + CODE_TTL_MS });
    return { code };
  }

  async exchangeCode(input: { code: string; codeVerifier: string; redirectUri: string }): Promise<string | null> {
    const pending = this.codes.get(input.code);
    this.codes.delete(input.code);
    if (!pending || pending.expiresAt < Date.now() || pending.redirectUri !== input.redirectUri) return null;
    const challenge = createHash('sha256').update(input.codeVerifier).digest('base64url');
    return challenge === pending.codeChallenge ? pending.token : null;
  }

  signOutUrl(): null {
    return null;
  }
}
