import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  type IHttpRouteAuthorizer,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../definition.ts';
import { constructId } from './definition-keys.ts';

export interface DutylineHttpApiProps {
  throttle: { burstLimit: number; rateLimit: number };
  /** Encrypts the access log. */
  key: IKey;
}

/**
 * The HTTP API and its `$default` stage. Routes are added after the functions exist; the functions
 * in turn may read `endpoint` (their PUBLIC_BASE_URL). No cycle: the API resource refers to no
 * function, only the routes' integrations and permissions do.
 */
export class DutylineHttpApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  private readonly integrations = new Map<IFunction, HttpLambdaIntegration>();

  constructor(scope: Construct, id: string, props: DutylineHttpApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', { createDefaultStage: false });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs), format: accessLogFormat() },
    });
  }

  /** `https://{api-id}.execute-api.{region}.amazonaws.com`, no trailing slash. */
  get endpoint(): string {
    return this.httpApi.apiEndpoint;
  }

  addRoute(route: RouteDefinition, handler: IFunction, authorizer: IHttpRouteAuthorizer): void {
    const added = this.httpApi.addRoutes({
      path: route.path,
      methods: [HttpMethod[route.method]],
      integration: this.integrationFor(route.function, handler),
      authorizer: route.auth === 'jwt' ? authorizer : new HttpNoneAuthorizer(),
    });
    // A public route states why in the definition; one that does not is left for cdk-nag to refuse.
    if (route.auth === 'none' && route.publicBecause) {
      for (const httpRoute of added) {
        Validations.of(httpRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.path} has no authorizer by design: ${route.publicBecause}.`,
        });
      }
    }
  }

  /** One integration per function, shared by its routes (GET and POST of an accept link). */
  private integrationFor(name: string, handler: IFunction): HttpLambdaIntegration {
    let integration = this.integrations.get(handler);
    if (!integration) {
      integration = new HttpLambdaIntegration(constructId(name, 'Integration'), handler);
      this.integrations.set(handler, integration);
    }
    return integration;
  }
}

/**
 * JSON access log. The route key (`GET /a/{token}`) is logged instead of the path, so the signed
 * token in an accept link never lands in a log.
 */
function accessLogFormat(): AccessLogFormat {
  return AccessLogFormat.custom(
    JSON.stringify({
      requestId: AccessLogField.contextRequestId(),
      requestTime: AccessLogField.contextRequestTime(),
      routeKey: '$context.routeKey',
      status: AccessLogField.contextStatus(),
      responseLength: AccessLogField.contextResponseLength(),
      responseLatency: AccessLogField.contextResponseLatency(),
      integrationLatency: AccessLogField.contextIntegrationLatency(),
      integrationError: '$context.integrationErrorMessage',
      authorizerError: '$context.authorizer.error',
      sourceIp: AccessLogField.contextIdentitySourceIp(),
      protocol: AccessLogField.contextProtocol(),
    }),
  );
}
