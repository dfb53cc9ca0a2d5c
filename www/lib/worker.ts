/**
 * The engine worker: instantiates the wasm module and answers the client's requests, one at
 * a time, in arrival order. A panic poisons the wasm instance, so after one the worker answers
 * every request with `PANIC` and the client replaces it.
 */
import init, { Lab } from './audience_lab.js';
import type { CallName, Calls, Progress, Reply, Request, WireError } from './protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;

let lab: Lab | null = null;
let poisoned: WireError | null = null;

function post(reply: Reply, transfer: Transferable[] = []): void {
  scope.postMessage(reply, transfer);
}

/** An engine error (a JS Error with `code`), a panic (a wasm trap) or anything else. */
function toWire(e: unknown): WireError {
  if (e instanceof WebAssembly.RuntimeError) {
    return { name: 'AudienceLabError', code: 'PANIC', message: `engine panic: ${e.message}` };
  }
  if (e instanceof Error) {
    const code = (e as Error & { code?: string }).code;
    if (code) return { name: e.name, message: e.message, code: code as WireError['code'] };
    // Out of memory surfaces as a RangeError from the allocator's grow.
    if (e instanceof RangeError) {
      return { name: 'AudienceLabError', code: 'PANIC', message: `engine out of memory: ${e.message}` };
    }
    return { name: e.name, message: e.message, code: 'INTERNAL' };
  }
  return { name: 'Error', message: String(e), code: 'INTERNAL' };
}

type Handler<K extends CallName> = (id: number, ...args: Calls[K]) => unknown;

const handlers: { [K in CallName]: Handler<K> } = {
  load(id, kind, bytes, opts) {
    const total = bytes.byteLength;
    const progress = (fraction: number, stage: string) => {
      const p: Progress = { fraction, stage, bytes: Math.round(fraction * total), totalBytes: total };
      post({ type: 'progress', requestId: id, progress: p });
    };
    return engine().load(kind, new Uint8Array(bytes), opts, progress);
  },
  rfm: (_id, opts) => engine().rfm(opts),
  count: (_id, segment, opts) => engine().count(segment, opts),
  members: (_id, segment, opts) => engine().members(segment, opts),
  exportCsv: (_id, segment, opts) => engine().exportCsv(segment, opts),
  clv: (_id, opts) => engine().clv(opts),
};

function engine(): Lab {
  if (!lab) throw Object.assign(new Error('the engine is not initialised'), { code: 'INTERNAL' });
  return lab;
}

function answer(req: Request): void {
  if (poisoned) {
    post({ type: 'error', requestId: req.messageId, error: poisoned });
    return;
  }
  try {
    const handler = handlers[req.call] as Handler<CallName> | undefined;
    if (!handler) throw Object.assign(new Error(`unknown call "${req.call}"`), { code: 'INTERNAL' });
    const result = handler(req.messageId, ...req.args);
    const transfer = result instanceof Uint8Array ? [result.buffer] : [];
    post({ type: 'result', requestId: req.messageId, result }, transfer);
  } catch (e) {
    const error = toWire(e);
    if (error.code === 'PANIC') poisoned = error;
    post({ type: 'error', requestId: req.messageId, error });
  }
}

// Requests that arrive while the module instantiates wait in order.
const queue: Request[] = [];
scope.onmessage = (ev: MessageEvent<Request>) => {
  if (lab || poisoned) answer(ev.data);
  else queue.push(ev.data);
};

init({ module_or_path: new URL('./audience_lab_bg.wasm', import.meta.url) })
  .then(() => {
    lab = new Lab();
    post({ type: 'ready' });
    for (const req of queue.splice(0)) answer(req);
  })
  .catch((e: unknown) => {
    poisoned = { name: 'AudienceLabError', code: 'WORKER_ERROR', message: `cannot start the engine: ${String(e)}` };
    post({ type: 'fatal', error: poisoned });
    for (const req of queue.splice(0)) answer(req);
  });
