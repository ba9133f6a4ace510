// Which release the embedded mock imitates in a fidelity run: the one whose maximum microversion
// the real target announces, or the one asked for with --release, which must agree with it.
import { isRelease, PROFILES, RELEASES, type Release, releaseWithMaximum } from '../mock/releases.ts';

const KNOWN = RELEASES.map((r) => `${r} 2.${PROFILES[r].maxMinor}`).join(', ');

/** The release to start the mock as, or the one line that says why there is none. */
export function mockReleaseFor(
  targetMax: string,
  requested: string | undefined,
): { release: Release } | { refusal: string } {
  const announced = releaseWithMaximum(targetMax);
  if (requested !== undefined && !isRelease(requested))
    return { refusal: `--release must be one of ${RELEASES.join(', ')}, got '${requested}'` };
  if (requested === undefined) {
    if (announced !== undefined) return { release: announced };
    return {
      refusal: `target A's maximum microversion ${targetMax} is none of the releases the mock imitates (${KNOWN}): compare with --b <openrc> instead`,
    };
  }
  if (announced !== requested)
    return {
      refusal: `--release ${requested} (maximum 2.${PROFILES[requested].maxMinor}) contradicts target A, whose maximum microversion is ${targetMax}${announced === undefined ? '' : ` (${announced})`}`,
    };
  return { release: requested };
}
