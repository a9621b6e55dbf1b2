/**
 * @peculiar/x509 depends on tsyringe, which refuses to load without a Reflect metadata polyfill.
 * It only needs the metadata API to exist (it reads constructor parameter types, which the built
 * library does not emit), so this minimal in-memory version is enough. Installs nothing when a real
 * polyfill (reflect-metadata, core-js) is already present.
 */
type MetaMap = Map<unknown, unknown>;
const store = new WeakMap<object, Map<PropertyKey | undefined, MetaMap>>();

function mapFor(target: object, key: PropertyKey | undefined, create: boolean): MetaMap | undefined {
  let byKey = store.get(target);
  if (!byKey) {
    if (!create) return undefined;
    byKey = new Map();
    store.set(target, byKey);
  }
  let m = byKey.get(key);
  if (!m && create) {
    m = new Map();
    byKey.set(key, m);
  }
  return m;
}

const R = Reflect as unknown as Record<string, unknown>;

export function installReflectShim(): void {
  if (typeof R.getMetadata === 'function') return;
  const getOwn = (k: unknown, target: object, key?: PropertyKey): unknown => mapFor(target, key, false)?.get(k);
  const get = (k: unknown, target: object, key?: PropertyKey): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
      const m = mapFor(t, key, false);
      if (m?.has(k)) return m.get(k);
    }
    return undefined;
  };
  R.defineMetadata = (k: unknown, v: unknown, target: object, key?: PropertyKey): void => {
    mapFor(target, key, true)!.set(k, v);
  };
  R.getOwnMetadata = getOwn;
  R.getMetadata = get;
  R.hasOwnMetadata = (k: unknown, target: object, key?: PropertyKey): boolean =>
    mapFor(target, key, false)?.has(k) ?? false;
  R.hasMetadata = (k: unknown, target: object, key?: PropertyKey): boolean => get(k, target, key) !== undefined;
  R.metadata =
    (k: unknown, v: unknown) =>
    (target: object, key?: PropertyKey): void => {
      mapFor(target, key, true)!.set(k, v);
    };
}
