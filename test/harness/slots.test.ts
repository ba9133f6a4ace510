import { describe, expect, it } from 'vitest';
import { Slots } from '../../lib/harness/slots.ts';

/** Lets every pending promise callback run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Slots', () => {
  it('lets `size` holders in at once and the next in when one leaves', async () => {
    const slots = new Slots(2);
    const a = await slots.acquire();
    await slots.acquire();
    let third = false;
    const c = slots.acquire().then((release) => {
      third = true;
      return release;
    });
    await settle();
    expect(third).toBe(false);
    a();
    a(); // a second release of the same slot frees nothing more
    await c;
    expect(third).toBe(true);
    let fourth = false;
    void slots.acquire().then(() => (fourth = true));
    await settle();
    expect(fourth).toBe(false);
  });

  it('gives every slot to an exclusive holder only once nobody holds one, and keeps later holders behind it', async () => {
    const slots = new Slots(3);
    const a = await slots.acquire();
    const order: string[] = [];
    const all = slots.acquireAll().then((release) => {
      order.push('all');
      return release;
    });
    const later = slots.acquire().then((release) => {
      order.push('later');
      return release;
    });
    await settle();
    // Two slots are free, but the exclusive holder waits for the third, and the later one behind it.
    expect(order).toEqual([]);
    a();
    const releaseAll = await all;
    await settle();
    expect(order).toEqual(['all']);
    releaseAll();
    await later;
    expect(order).toEqual(['all', 'later']);
  });
});
