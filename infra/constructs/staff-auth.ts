import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolClientIdentityProvider,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { Role } from '../definition.ts';
import { constructId } from './definition-keys.ts';

export interface StaffAuthProps {
  roles: Role[];
  /** Where the web app lives; the OAuth callback and sign-out URLs hang off it. */
  publicBaseUrl: string;
}

/** Who may sign in: staff and referrers are created by administrators, never by themselves. */
export class StaffAuth extends Construct {
  readonly userPool: UserPool;
  readonly webClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: StaffAuthProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: { staffId: new StringAttribute({ mutable: true, minLen: 1, maxLen: 64 }) },
      // Every user sees personal data (or submits it): an authenticator app is required, set up at first sign-in.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { sms: false, otp: true },
      // Threat protection blocks sign-ins with leaked credentials and challenges risky ones.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The group names are the roles the functions check in `cognito:groups`.
    for (const role of props.roles) {
      this.userPool.addGroup(constructId(role, 'Group'), { groupName: role, description: `dutyline ${role}` });
    }

    this.webClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${props.publicBaseUrl}/auth/callback`],
        logoutUrls: [`${props.publicBaseUrl}/`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      // One night shift, so an AMHP is not signed out mid-assessment but is by the next shift.
      refreshTokenValidity: Duration.hours(16),
    });
  }
}
