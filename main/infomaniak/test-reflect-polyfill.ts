/**
 * The smallest Reflect metadata polyfill that lets @peculiar/x509 (through tsyringe) load in tests;
 * `reflect-metadata` is not installed. Installed only when missing; test code only.
 */
type MetadataStore = WeakMap<object, Map<unknown, unknown>>;

interface ReflectWithMetadata {
  getMetadata?: unknown;
  defineMetadata?: unknown;
  getOwnMetadata?: unknown;
  hasMetadata?: unknown;
  metadata?: unknown;
}

const reflect = Reflect as unknown as ReflectWithMetadata;

if (typeof reflect.getMetadata !== 'function') {
  const store: MetadataStore = new WeakMap();
  const own = (target: object, create: boolean) => {
    let map = store.get(target);
    if (!map && create) store.set(target, (map = new Map()));
    return map;
  };
  const getOwnMetadata = (key: unknown, target: object) => own(target, false)?.get(key);
  const getMetadata = (key: unknown, target: object): unknown => {
    for (let current: object | null = target; current; current = Object.getPrototypeOf(current) as object | null) {
      const map = own(current, false);
      if (map?.has(key)) return map.get(key);
    }
    return undefined;
  };
  const defineMetadata = (key: unknown, value: unknown, target: object) => {
    own(target, true)?.set(key, value);
  };
  Object.assign(reflect, {
    getOwnMetadata,
    getMetadata,
    defineMetadata,
    hasMetadata: (key: unknown, target: object) => getMetadata(key, target) !== undefined,
    metadata: (key: unknown, value: unknown) => (target: object) => defineMetadata(key, value, target),
  });
}

export {};
