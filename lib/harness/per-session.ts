/**
 * A lookup made once per session and shared by every check (the image and flavor to boot, the
 * network to attach to). A failed lookup is not remembered: the next check asks again.
 */
export function perSession<T>(): (session: object, make: () => Promise<T>) => Promise<T> {
  const found = new WeakMap<object, Promise<T>>();
  return (session, make) => {
    let value = found.get(session);
    if (value === undefined) {
      value = make();
      value.catch(() => found.delete(session));
      found.set(session, value);
    }
    return value;
  };
}
