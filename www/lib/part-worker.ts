/**
 * A part worker: reads one part of a file loaded in parts with an engine of its own (the
 * module compiled once by the engine worker, instantiated here), and hands the part back as
 * bytes. Workers share no memory, so a page needs no cross-origin isolation for this.
 */
import init, { PartLoader } from './audience_lab.js';
import type { PartJob, PartReply, WireError } from './protocol.js';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** Bytes of a text file handed to the engine at a time. */
const CHUNK = 4 * 1024 * 1024;
/** Bytes of a Parquet file read at a time (as the engine worker reads it). */
const BINARY_CHUNK = 16 * 1024 * 1024;

let ready: Promise<unknown> | null = null;

function post(reply: PartReply, transfer: Transferable[] = []): void {
  scope.postMessage(reply, transfer);
}

function toWire(e: unknown): WireError {
  if (e instanceof WebAssembly.RuntimeError) return { name: 'AudienceLabError', code: 'PANIC', message: `engine panic: ${e.message}` };
  if (e instanceof Error) {
    const code = (e as Error & { code?: string }).code ?? 'INTERNAL';
    return { name: e.name, message: e.message, code: code as WireError['code'] };
  }
  return { name: 'Error', message: String(e), code: 'INTERNAL' };
}

async function read(job: PartJob): Promise<void> {
  ready ??= init({ module_or_path: job.module });
  await ready;
  const loader = job.groups ? PartLoader.rowGroups(job.kind, job.opts, job.groups[0], job.groups[1]) : new PartLoader(job.kind, job.opts, job.plan);
  try {
    // A Parquet file (row groups) is held whole: larger slices, fewer round trips.
    const step = job.groups ? BINARY_CHUNK : CHUNK;
    if (job.groups) loader.sizeHint(job.end - job.start);
    for (let start = job.start; start < job.end; start += step) {
      const end = Math.min(start + step, job.end);
      const rows = loader.push(new Uint8Array(await job.file.slice(start, end).arrayBuffer()));
      post({ type: 'progress', bytes: end - job.start, rows });
    }
    const part = loader.end(job.last) ?? null;
    post({ type: 'done', part }, part ? [part.buffer] : []);
  } finally {
    loader.free();
  }
}

scope.onmessage = (ev: MessageEvent<PartJob>) => {
  read(ev.data).catch((e: unknown) => post({ type: 'error', error: toWire(e) }));
};
