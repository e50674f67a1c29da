// The handler API, evaluated in every fresh sandbox before the handler. Everything a handler can observe from outside
// (state, time, extension outcomes) comes from the host through one function, which is hidden here in a closure, so
// the host can journal it and answer it again on replay.
(function () {
  'use strict';
  const host = globalThis.__nexus_host_call;
  delete globalThis.__nexus_host_call;
  const OP = { INIT: 1, GET: 2, SET: 3, DELETE: 4, HAS: 5, KEYS: 6, EMIT: 7, VIEW: 8, LOG: 9, NOW: 10, EXT: 11 };
  const { parse, stringify } = JSON;
  const { imul } = Math;
  const hasOwn = Object.hasOwn;
  const freeze = Object.freeze;
  const RealDate = Date;
  const RealPromise = Promise;
  const promiseThen = Promise.prototype.then;
  // This file runs once per process and is snapshotted; what differs per run arrives when the handler starts.
  let init = { extensions: {} };

  const requireString = (value, what) => {
    if (typeof value !== 'string') throw new TypeError(`${what} must be a string, got ${typeof value}`);
    return value;
  };
  const encodeValue = (value, what) => {
    const t = typeof value;
    if (value === undefined || t === 'function' || t === 'symbol') {
      throw new TypeError(`${what}: value is not JSON-serialisable (${t})`);
    }
    const json = stringify(value);
    // A toJSON that returns undefined, a function or a symbol leaves nothing to send.
    if (json === undefined) throw new TypeError(`${what}: value is not JSON-serialisable (it serialises to nothing)`);
    return json;
  };

  // $state: method style and property style over the same host calls; reads see this run's earlier writes.
  const state = freeze({
    get(key) {
      const r = host(OP.GET, requireString(key, '$state.get: key'));
      return r === '' ? undefined : parse(r);
    },
    set(key, value) {
      requireString(key, '$state.set: key');
      host(OP.SET, `${stringify(key)}\n${encodeValue(value, `$state.set('${key}')`)}`);
      return value;
    },
    delete(key) { return host(OP.DELETE, requireString(key, '$state.delete: key')) === '1'; },
    has(key) { return host(OP.HAS, requireString(key, '$state.has: key')) === '1'; },
    keys() { return parse(host(OP.KEYS)); },
    update(key, fn) {
      if (typeof fn !== 'function') throw new TypeError('$state.update: the second argument must be a function');
      return state.set(key, fn(state.get(key)));
    },
  });
  // Promise resolution and JSON.stringify probe these; they are never state keys in property style.
  const notKeys = new Set(['then', 'toJSON']);
  globalThis.$state = new Proxy(Object.create(null), {
    get(_, p) {
      if (typeof p !== 'string' || notKeys.has(p)) return undefined;
      return hasOwn(state, p) ? state[p] : state.get(p);
    },
    set(_, p, value) { state.set(requireString(p, '$state key'), value); return true; },
    deleteProperty(_, p) { state.delete(requireString(p, '$state key')); return true; },
    has(_, p) { return typeof p === 'string' && state.has(p); },
    ownKeys() { return state.keys(); },
    getOwnPropertyDescriptor(_, p) {
      if (typeof p !== 'string' || !state.has(p)) return undefined;
      return { value: state.get(p), writable: true, enumerable: true, configurable: true };
    },
    defineProperty() { return false; },
    setPrototypeOf() { return false; },
  });

  // $emit(name, payload) and $emit.toast(message, level)
  const emit = function $emit(name, payload) {
    requireString(name, '$emit: event name');
    host(OP.EMIT, `${stringify(name)}\n${payload === undefined ? 'null' : encodeValue(payload, `$emit('${name}')`)}`);
  };
  emit.toast = function toast(message, level = 'info') { emit('toast', { message: String(message), level }); };
  globalThis.$emit = freeze(emit);

  // $view: commands for view components
  const view = (id, command, params) => {
    if (id !== null) requireString(id, '$view: component id');
    host(OP.VIEW, stringify([id, command, params === undefined ? {} : params]));
  };
  globalThis.$view = freeze({
    setFilter(id, value) { view(id, 'setFilter', { value }); },
    scrollTo(id, position) { view(id, 'scrollTo', { position }); },
    focus(id) { view(id, 'focus', {}); },
    command(id, name, params) { view(id === undefined ? null : id, requireString(name, '$view.command: name'), params); },
  });

  // $log(...) and $log.debug/info/warn/error(...)
  const format = (a) => {
    if (typeof a === 'string') return a;
    if (a === null || a === undefined || typeof a !== 'object') return String(a);
    if (a instanceof Error) return a.stack ? `${a.name}: ${a.message}\n${a.stack}` : String(a);
    try { return stringify(a) ?? String(a); } catch { return String(a); }
  };
  const logger = (level) => function log(...args) { host(OP.LOG, `${level}\n${args.map(format).join(' ')}`); };
  const log = logger('info');
  for (const level of ['debug', 'info', 'warn', 'error']) log[level] = logger(level);
  globalThis.$log = freeze(log);
  globalThis.console = freeze({ log, debug: log.debug, info: log.info, warn: log.warn, error: log.error });

  // Time and randomness are the host's, so a replay sees the same values.
  const now = () => Number(host(OP.NOW));
  globalThis.$time = freeze({ now });
  function NexusDate(...args) {
    if (!new.target) return new RealDate(now()).toString();
    return args.length === 0 ? new RealDate(now()) : new RealDate(...args);
  }
  NexusDate.prototype = RealDate.prototype;
  NexusDate.now = now;
  NexusDate.parse = RealDate.parse;
  NexusDate.UTC = RealDate.UTC;
  Object.defineProperty(RealDate.prototype, 'constructor', { value: NexusDate });
  globalThis.Date = NexusDate;
  let seed = 0;
  Math.random = function random() {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  // $ext.<extension>.<method>(...args) -> Promise. An outcome recorded in the journal settles it; a call without one
  // stays pending, and the run suspends until the host has the outcome and runs the handler again.
  const callExtension = (extension, method, args) => {
    let answer;
    try {
      answer = parse(host(OP.EXT, stringify([extension, method, args])));
    } catch (e) {
      return RealPromise.reject(e);
    }
    if (answer.s === 'ok') return RealPromise.resolve(answer.v);
    if (answer.s === 'err') {
      const error = new Error(answer.e);
      if (answer.c) error.code = answer.c;
      error.extension = extension;
      error.method = method;
      Object.defineProperty(error, '__nexusHostError', { value: true });
      return RealPromise.reject(error);
    }
    return new RealPromise(() => {});
  };
  const extensionProxies = new Map();
  const extensionProxy = (name) => {
    let proxy = extensionProxies.get(name);
    if (!proxy) {
      proxy = new Proxy(Object.create(null), {
        get: (_, m) => (typeof m === 'string' && m !== 'then' ? (...args) => callExtension(name, m, args) : undefined),
      });
      extensionProxies.set(name, proxy);
    }
    return proxy;
  };
  const helpers = freeze({
    exists: (name) => hasOwn(init.extensions, name),
    methods: (name) => (hasOwn(init.extensions, name) ? [...init.extensions[name]] : []),
    list: () => Object.keys(init.extensions),
  });
  globalThis.$ext = new Proxy(Object.create(null), {
    get(_, p) {
      if (typeof p !== 'string' || p === 'then') return undefined;
      return hasOwn(helpers, p) ? helpers[p] : extensionProxy(p);
    },
    has(_, p) { return typeof p === 'string' && hasOwn(init.extensions, p); },
    set() { return false; },
    defineProperty() { return false; },
  });

  // No code from strings: eval and every function constructor are gone.
  const denied = (what) => function () { throw new EvalError(`${what} is not available in Nexus handlers`); };
  delete globalThis.eval;
  for (const f of [function () {}, async function () {}, function* () {}, async function* () {}]) {
    const proto = Object.getPrototypeOf(f);
    const blocked = denied('The Function constructor');
    blocked.prototype = proto;
    Object.defineProperty(proto, 'constructor', { value: blocked, writable: false, configurable: false });
  }
  const blockedFunction = denied('The Function constructor');
  blockedFunction.prototype = Function.prototype;
  Object.defineProperty(globalThis, 'Function', { value: blockedFunction, writable: false, configurable: false });

  // The handler's outcome, read by the host once the job queue is empty.
  const describe = (e) => {
    try {
      if (e !== null && typeof e === 'object') {
        return {
          name: String(e.name ?? 'Error'),
          message: String(e.message ?? ''),
          stack: typeof e.stack === 'string' ? e.stack : undefined,
          code: e.__nexusHostError === true && typeof e.code === 'string' ? e.code : undefined,
        };
      }
      return { name: 'Error', message: `Uncaught ${format(e)}` };
    } catch {
      return { name: 'Error', message: 'Uncaught exception that could not be described' };
    }
  };
  let outcome = null;
  Object.defineProperty(globalThis, '__nexus_start', {
    configurable: true,
    value: (handler) => {
      delete globalThis.__nexus_start;
      init = parse(host(OP.INIT));
      seed = init.seed | 0;
      globalThis.$args = init.args;
      globalThis.$scope = init.scope;
      promiseThen.call(handler(),
        (value) => {
          try {
            outcome = freeze({ ok: true, value: value === undefined ? undefined : stringify(value) });
          } catch (e) {
            outcome = freeze({ ok: false, error: freeze({ name: 'TypeError', message: `The return value is not JSON-serialisable: ${describe(e).message}`, code: 'SERIALIZATION_ERROR' }) });
          }
        },
        // Frozen: the handler can reach __nexus_outcome from jobs that run after it returns.
        (e) => { outcome = freeze({ ok: false, error: freeze(describe(e)) }); });
    },
  });
  Object.defineProperty(globalThis, '__nexus_outcome', { value: () => outcome, writable: false, configurable: false });
})();
