import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { roles as knownRoles, type Role } from '../definition.ts';
import type { DirectoryStore } from '../../shared/ports.ts';

interface LocalUser {
  username: string;
  roles: Role[];
  staffId?: string;
}

/**
 * The local stand-in for Cognito: it signs in by username and issues a bearer token carrying the
 * same claims Cognito puts in an ID token (`sub`, `cognito:groups`, `custom:staffId`), so handlers
 * read callers the same way in both places.
 */
export class LocalIdentityProvider {
  private readonly secret = randomBytes(32);
  private readonly users = new Map<string, LocalUser>();

  constructor(private readonly directory: DirectoryStore) {}

  addUser(user: LocalUser): void {
    this.users.set(user.username, user);
  }

  /** Seeded users; then staff by staffId; then, given roles, a new user made on the spot. */
  async signIn(username: string, roles?: string[]): Promise<{ token: string } | { error: string }> {
    let user = this.users.get(username);
    if (!user) {
      const staff = await this.directory.getStaff(username);
      if (staff) user = { username, roles: staff.roles, staffId: staff.id };
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
    if (!match?.[1]) return null;
    try {
      const { payload } = await jwtVerify(match[1], this.secret, { issuer: 'dutyline-local' });
      return payload;
    } catch {
      return null;
    }
  }
}
