import * as http from 'http';
import * as https from 'https';
import { URL } from 'url';

/** The fields of a CloudFormation custom resource request this library reads. */
export interface CustomResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Record<string, any>;
}

export interface CustomResourceResponse {
  readonly status: 'SUCCESS' | 'FAILED';
  readonly physicalResourceId: string;
  readonly reason?: string;
  readonly data?: Record<string, unknown>;
}

/**
 * Sends the result to CloudFormation's presigned response URL. CloudFormation
 * caps a reason at 4 KiB, so a long one is cut with a marker.
 */
export async function sendResponse(event: CustomResourceEvent, response: CustomResourceResponse): Promise<void> {
  const reason = response.reason && response.reason.length > 3800 ? `${response.reason.slice(0, 3800)} ... (truncated)` : response.reason;
  const body = JSON.stringify({
    Status: response.status,
    Reason: reason ?? response.status,
    PhysicalResourceId: response.physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: false,
    Data: response.data ?? {},
  });
  const url = new URL(event.ResponseURL);
  const transport = url.protocol === 'http:' ? http : https;
  await new Promise<void>((resolve, reject) => {
    const request = transport.request(url, {
      method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode && res.statusCode < 300 ? resolve() : reject(new Error(`response URL answered ${res.statusCode}`))));
    });
    request.on('error', reject);
    request.end(body);
  });
}
