import { computeRoot } from '../openstack/compute.ts';
import type { HttpClient } from '../openstack/http.ts';
import type { VersionDocuments } from './manifest.ts';

async function document(http: HttpClient, url: string): Promise<unknown> {
  try {
    const exchange = await http.send({ method: 'GET', url });
    return exchange.status === 200 ? exchange.json : undefined;
  } catch {
    // The preflight read the compute version already; a bundle without its copy is still a bundle.
    return undefined;
  }
}

/**
 * The target's version documents for the manifest: the compute root's list of versions, read by
 * the runner before the suites with the run's own client (one GET, allowed in read-only runs), and
 * the v2.1 document the preflight already read and negotiated microversions from.
 */
export async function readVersionDocuments(
  http: HttpClient,
  computeBase: string,
  compute: unknown,
): Promise<VersionDocuments> {
  const root = await document(http, `${computeRoot(computeBase)}/`);
  return {
    ...(root !== undefined && { root }),
    ...(compute !== undefined && { compute }),
  };
}
