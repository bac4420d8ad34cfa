import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';

/**
 * The cdk-nag rule packs every synthesis runs: AWS Solutions, HIPAA Security and NIST 800-53
 * rev 5 (NHS data is held to comparable controls). A finding stops `cdk synth`; the few that are
 * accepted are acknowledged on the resource, with the reason, where they arise. The reasons are
 * also written to the template's metadata (`cdk_nag`), as the audit trail.
 */
export function applyCompliancePacks(app: App): void {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }),
    new HIPAASecurityChecks(app),
    new NIST80053R5Checks(app),
  );
}
