import { randomBytes } from 'node:crypto';
import { compareMicroversions, validate, type SchemaName } from '../../lib/schema/validator.ts';

/**
 * The request-body schema Nova applies to a POST at an effective microversion
 * (nova/api/openstack/compute/schemas/attach_interfaces.py: `create` for 2.0–2.48, `create_v249` after).
 */
function createRequestSchema(effective: string): SchemaName {
  return compareMicroversions(effective, '2.49') >= 0
    ? 'os-interface/create-request-v2.49'
    : 'os-interface/create-request-v2.1';
}

/** A mistake in the suite itself (not in the target): the test would be checking the wrong thing. */
class SuiteBug extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SuiteBug';
  }
}

/**
 * Proves that Nova's schema rejects `body` at `effective`, so that a 400 really tests validation.
 * With a `control` (the same body with only the defect removed), also proves that the defect is
 * the only reason: the control must be valid.
 */
export function proveInvalid(effective: string, body: unknown, control?: unknown): string[] {
  const schema = createRequestSchema(effective);
  const problems = validate(schema, body);
  if (problems.length === 0)
    throw new SuiteBug(
      `the body ${JSON.stringify(body)} is valid for ${schema}; the test would not test validation`,
    );
  if (control !== undefined) {
    const left = validate(schema, control);
    if (left.length > 0)
      throw new SuiteBug(
        `the control body ${JSON.stringify(control)} is not valid for ${schema} (${left.join('; ')}); the test body has more than one defect`,
      );
  }
  return problems;
}

/** Proves that Nova's schema accepts `body` at `effective`: the refusal must come from a later check. */
export function proveValid(effective: string, body: unknown): void {
  const schema = createRequestSchema(effective);
  const problems = validate(schema, body);
  if (problems.length > 0)
    throw new SuiteBug(
      `the body ${JSON.stringify(body)} is invalid for ${schema} (${problems.join('; ')}); Nova would refuse it before the check under test`,
    );
}

/** A project id in Keystone's format (32 lower-case hex digits), for URLs naming a foreign project. */
export function randomProjectId(): string {
  return randomBytes(16).toString('hex');
}

/** nova/exception.py InstanceNotFound, as the API words it for the id in the URL. */
export function instanceNotFound(serverId: string): string {
  return `Instance ${serverId} could not be found.`;
}

/** nova/api/openstack/wsgi.py: the URL's project id differs from the token's. */
export function projectMismatch(urlProject: string, tokenProject: string): string {
  return `Malformed request URL: URL's project_id '${urlProject}' doesn't match Context's project_id '${tokenProject}'`;
}
