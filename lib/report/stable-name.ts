/**
 * Names of synthetic results (a failed prerequisite, an error outside any test) must read the
 * same in every run, or CI history sees a new test each time. The harness promises stable names;
 * this keeps that promise when a resource id or a request id slips into one anyway.
 */
const UUID = /\b[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\b/gi;
const REQUEST_ID = /\breq-<id>/g;

export function stableName(text: string): string {
  return text
    .replace(UUID, '<id>')
    .replace(REQUEST_ID, '<request id>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}
