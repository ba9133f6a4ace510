/**
 * At most `size` holders at once; the rest wait in order (CONFORMANCE_CONCURRENCY). A holder may
 * also take every slot (a check that changes the whole project, like its port quota): it waits
 * until nobody holds one, and whoever asks after it waits behind it.
 */
export class Slots {
  private used = 0;
  private readonly waiting: { readonly weight: number; readonly enter: () => void }[] = [];

  constructor(private readonly size: number) {}

  /** One slot. */
  acquire(): Promise<() => void> {
    return this.take(1);
  }

  /** Every slot: the holder runs alone. */
  acquireAll(): Promise<() => void> {
    return this.take(this.size);
  }

  private async take(weight: number): Promise<() => void> {
    if (this.waiting.length === 0 && this.used + weight <= this.size) this.used += weight;
    else await new Promise<void>((enter) => this.waiting.push({ weight, enter }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= weight;
      this.admit();
    };
  }

  /** Lets in the waiters at the head of the queue that fit now; `used` counts them as they go. */
  private admit(): void {
    for (let next = this.waiting[0]; next !== undefined; next = this.waiting[0]) {
      if (this.used + next.weight > this.size) return;
      this.waiting.shift();
      this.used += next.weight;
      next.enter();
    }
  }
}
