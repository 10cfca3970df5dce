import { timestampOf } from './arc-region-switch-client';
import { CallRequest, jsonOf, pathLabel, regionalEndpoint, signedCall, SignedCallOptions } from './signed-call';

/**
 * AWS Backup's DescribeRestoreJob and PutRestoreValidationResult, signed and
 * sent without the SDK's client (src/private/signed-call.ts says why and how
 * errors surface). The wire format is the service's REST-JSON protocol,
 * SigV4 with the signing name `backup`:
 * - DescribeRestoreJob: GET /restore-jobs/{restoreJobId}; HTTP 200 with the
 *   job as JSON, its timestamps in epoch seconds
 *   (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_DescribeRestoreJob.html);
 * - PutRestoreValidationResult: PUT /restore-jobs/{restoreJobId}/validations
 *   with `{"ValidationStatus": ..., "ValidationStatusMessage": ...}`; HTTP 204
 *   (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_PutRestoreValidationResult.html).
 * An error names itself in `X-Amzn-ErrorType` (or the body's `__type` or
 * `code`), with `Message`; throttling is ThrottlingException
 * (https://docs.aws.amazon.com/aws-backup/latest/devguide/API_Types.html and
 * the Common Errors of the API reference). The regional endpoint is
 * `backup.{region}.amazonaws.com` (`.amazonaws.com.cn` in China):
 * https://docs.aws.amazon.com/general/latest/gr/bk.html.
 */

/** The part of a restore job the restore validator reads. */
export interface RestoreJob {
  readonly RestoreJobId?: string;
  readonly Status?: string;
  readonly StatusMessage?: string;
  readonly ResourceType?: string;
  readonly CreatedResourceArn?: string;
  readonly CreationDate?: Date;
  readonly CompletionDate?: Date;
  readonly CreatedBy?: { readonly RestoreTestingPlanArn?: string };
}

export type RestoreValidationStatus = 'SUCCESSFUL' | 'FAILED' | 'TIMED_OUT' | 'VALIDATING';

export interface RestoreValidationResult {
  readonly RestoreJobId: string;
  readonly ValidationStatus: RestoreValidationStatus;
  readonly ValidationStatusMessage?: string;
}

const endpoint = (options: SignedCallOptions) => regionalEndpoint('backup', options.region);

export async function describeRestoreJob(restoreJobId: string, options: SignedCallOptions): Promise<RestoreJob> {
  const request: CallRequest = { service: 'backup', method: 'GET', path: `/restore-jobs/${pathLabel(restoreJobId)}`, body: '' };
  const raw = jsonOf<Record<string, any>>(await signedCall(endpoint(options), request, options), 'AWS Backup DescribeRestoreJob');
  const plan = raw.CreatedBy?.RestoreTestingPlanArn;
  return {
    RestoreJobId: stringOr(raw.RestoreJobId),
    Status: stringOr(raw.Status),
    StatusMessage: stringOr(raw.StatusMessage),
    ResourceType: stringOr(raw.ResourceType),
    CreatedResourceArn: stringOr(raw.CreatedResourceArn),
    CreationDate: timestampOf(raw.CreationDate),
    CompletionDate: timestampOf(raw.CompletionDate),
    CreatedBy: raw.CreatedBy && typeof raw.CreatedBy === 'object' ? { RestoreTestingPlanArn: stringOr(plan) } : undefined,
  };
}

export async function putRestoreValidationResult(input: RestoreValidationResult, options: SignedCallOptions): Promise<void> {
  const request: CallRequest = {
    service: 'backup',
    method: 'PUT',
    path: `/restore-jobs/${pathLabel(input.RestoreJobId)}/validations`,
    contentType: 'application/json',
    body: JSON.stringify({ ValidationStatus: input.ValidationStatus, ValidationStatusMessage: input.ValidationStatusMessage }),
  };
  await signedCall(endpoint(options), request, options);
}

const stringOr = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
