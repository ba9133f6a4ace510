// Nova's fault envelope (nova.api.openstack.wsgi.Fault) and the error type controllers throw.
import type { ReleaseProfile } from '../releases.ts';

const FAULT_NAMES: Record<number, string> = {
  400: 'badRequest',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'itemNotFound',
  405: 'badMethod',
  409: 'conflictingRequest',
  413: 'overLimit',
  415: 'badMediaType',
  429: 'overLimit',
  501: 'notImplemented',
  503: 'serviceUnavailable',
};

function faultName(status: number): string {
  return FAULT_NAMES[status] ?? 'computeFault';
}

export class NovaFault extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
  body(): Record<string, { code: number; message: string }> {
    return { [faultName(this.status)]: { code: this.status, message: this.message } };
  }
}

export const badRequest = (m: string): NovaFault => new NovaFault(400, m);
export const notFound = (m: string): NovaFault => new NovaFault(404, m);
export const conflict = (m: string): NovaFault => new NovaFault(409, m);
export const forbidden = (m: string): NovaFault => new NovaFault(403, m);

/** "Unexpected API Error" as the expected_errors decorator renders any unmapped exception. */
export function unexpected(profile: ReleaseProfile, exceptionClass: string): NovaFault {
  return new NovaFault(500, `Unexpected API Error. ${profile.supportText}\n<class '${exceptionClass}'>`);
}

export const instanceNotFound = (sid: string): NovaFault => notFound(`Instance ${sid} could not be found.`);
export const policyDenied = (rule: string): NovaFault =>
  forbidden(`Policy doesn't allow ${rule} to be performed.`);
export const invalidState = (action: string, sid: string, attr: string, state: string | null): NovaFault =>
  conflict(`Cannot '${action}' instance ${sid} while it is in ${attr} ${state ?? 'None'}`);
