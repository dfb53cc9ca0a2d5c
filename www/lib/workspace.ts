/**
 * A workspace kept in this browser between visits (opt-in): the loaded tables as the engine
 * holds them (typed columns, Arrow IPC) and the page's view state, in the origin-private file
 * system. Runs in the engine worker, so the tables never cross to the page.
 *
 * Layout: `audience-lab-workspace/` holds one generation folder per keep (`gen-<time>`, the
 * tables and `manifest.json`) and `current.json`, which names the complete generation. A keep
 * writes a new generation whole, then points `current.json` at it (one atomic file write),
 * then removes the old ones; a keep that fails (the storage quota) removes what it wrote, so
 * nothing half-written is ever read.
 */
import type { Lab } from './audience_lab.js';
import type { LoadReport, TableKind } from './generated.js';
import type { KeptTable, KeptWorkspace, RestoredWorkspace } from './protocol.js';

/** The folder of the workspace in the origin-private file system. */
export const WORKSPACE_DIR = 'audience-lab-workspace';
/** The version of the workspace layout; another is refused, never misread. */
export const WORKSPACE_VERSION = 1;

const KINDS: TableKind[] = ['orders', 'members', 'member_tags', 'order_items'];

interface Manifest extends KeptWorkspace {
  version: number;
  generation: string;
}

function failure(code: string, message: string): Error {
  return Object.assign(new Error(message), { name: 'AudienceLabError', code });
}

async function root(create: boolean): Promise<FileSystemDirectoryHandle | null> {
  if (!navigator.storage?.getDirectory) throw failure('STORAGE_ERROR', 'this browser has no origin-private file system: the workspace cannot be kept');
  const top = await navigator.storage.getDirectory();
  try {
    return await top.getDirectoryHandle(WORKSPACE_DIR, { create });
  } catch (e) {
    if ((e as DOMException).name === 'NotFoundError') return null;
    throw e;
  }
}

async function writeFile(dir: FileSystemDirectoryHandle, name: string, data: BufferSource | string): Promise<void> {
  const handle = await dir.getFileHandle(name, { create: true });
  const w = await handle.createWritable();
  try {
    await w.write(data);
    await w.close();
  } catch (e) {
    await w.abort().catch(() => undefined);
    throw e;
  }
}

async function readText(dir: FileSystemDirectoryHandle, name: string): Promise<string | null> {
  try {
    return await (await (await dir.getFileHandle(name)).getFile()).text();
  } catch (e) {
    if ((e as DOMException).name === 'NotFoundError') return null;
    throw e;
  }
}

const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;

/** Keeps every loaded table and `view`; resolves to what is kept. */
export async function keep(lab: Lab, reports: Map<TableKind, LoadReport>, view: unknown): Promise<KeptWorkspace> {
  const generation = `gen-${Date.now()}`;
  const tables: KeptTable[] = [];
  let dir: FileSystemDirectoryHandle | null = null;
  let needed = 0;
  let manifest: Manifest;
  try {
    dir = await root(true);
    if (!dir) throw failure('STORAGE_ERROR', 'cannot create the workspace folder');
    const gen = await dir.getDirectoryHandle(generation, { create: true });
    for (const kind of KINDS) {
      const report = reports.get(kind);
      const bytes = report && (lab.tableBytes(kind) as Uint8Array | undefined);
      if (!report || !bytes) continue;
      needed += bytes.byteLength;
      await writeFile(gen, `${kind}.table`, bytes as Uint8Array<ArrayBuffer>);
      tables.push({ kind, name: report.name, rows: report.rowsLoaded, bytes: bytes.byteLength });
    }
    manifest = { version: WORKSPACE_VERSION, generation, savedAt: new Date().toISOString(), tables, bytes: tables.reduce((a, t) => a + t.bytes, 0), view };
    await writeFile(gen, 'manifest.json', JSON.stringify(manifest));
    await writeFile(dir, 'current.json', JSON.stringify({ version: WORKSPACE_VERSION, generation }));
  } catch (e) {
    await dir?.removeEntry(generation, { recursive: true }).catch(() => undefined);
    throw storageError(e, `${reports.size} table(s), ${mb(needed)} written when it failed`);
  }
  // The new generation is current: older ones go (a failure here leaves them, unread).
  await removeOthers(dir, generation).catch(() => undefined);
  return publicOf(manifest);
}

/** A storage failure as an engine error: a full quota is `STORAGE_FULL`, any other `STORAGE_ERROR`. */
function storageError(e: unknown, what: string): Error {
  if ((e as { code?: unknown }).code !== undefined && typeof (e as { code?: unknown }).code === 'string') return e as Error;
  if ((e as DOMException).name === 'QuotaExceededError') {
    return failure('STORAGE_FULL', `not enough storage in this browser to keep the data (${what}); nothing was kept`);
  }
  return failure('STORAGE_ERROR', `the browser's storage failed: ${(e as Error).message ?? String(e)}`);
}

/** Replaces the view state of the kept workspace (the tables stay). */
export async function keepView(view: unknown): Promise<KeptWorkspace | null> {
  const found = await current();
  if (!found) return null;
  const { gen, manifest } = found;
  const next = { ...manifest, view, savedAt: new Date().toISOString() };
  try {
    await writeFile(gen, 'manifest.json', JSON.stringify(next));
  } catch (e) {
    throw storageError(e, 'the view state');
  }
  return publicOf(next);
}

async function removeOthers(dir: FileSystemDirectoryHandle, keepName: string): Promise<void> {
  const names: string[] = [];
  for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
  for (const name of names) {
    if (name !== keepName && name !== 'current.json') await dir.removeEntry(name, { recursive: true }).catch(() => undefined);
  }
}

async function current(): Promise<{ gen: FileSystemDirectoryHandle; manifest: Manifest } | null> {
  const dir = await root(false);
  if (!dir) return null;
  const pointer = await readText(dir, 'current.json');
  if (!pointer) return null;
  let p: { version?: number; generation?: string };
  try {
    p = JSON.parse(pointer) as { version?: number; generation?: string };
  } catch {
    throw failure('STORAGE_ERROR', 'the kept workspace is damaged (current.json): forget it and load the files again');
  }
  if (p.version !== WORKSPACE_VERSION || !p.generation) {
    throw failure('STORAGE_VERSION', `the kept workspace was written by another version of audience-lab (layout ${p.version ?? 'unknown'}, this version reads ${WORKSPACE_VERSION}): load the files again, or forget it`);
  }
  let gen: FileSystemDirectoryHandle;
  let manifest: Manifest;
  try {
    gen = await dir.getDirectoryHandle(p.generation);
    const text = await readText(gen, 'manifest.json');
    if (!text) throw new Error('no manifest');
    manifest = JSON.parse(text) as Manifest;
  } catch {
    throw failure('STORAGE_ERROR', 'the kept workspace is damaged (its tables are missing): forget it and load the files again');
  }
  return { gen, manifest };
}

function publicOf(m: Manifest): KeptWorkspace {
  return { savedAt: m.savedAt, tables: m.tables, bytes: m.bytes, view: m.view };
}

/** What is kept, without reading the tables; `null` when nothing is. */
export async function kept(): Promise<KeptWorkspace | null> {
  const found = await current();
  return found && publicOf(found.manifest);
}

/** Puts the kept tables in the engine; `null` when nothing is kept. */
export async function restore(lab: Lab): Promise<RestoredWorkspace | null> {
  const found = await current();
  if (!found) return null;
  const { gen, manifest } = found;
  const reports: LoadReport[] = [];
  try {
    for (const t of manifest.tables) {
      const file = await (await gen.getFileHandle(`${t.kind}.table`)).getFile();
      if (file.size !== t.bytes) throw failure('STORAGE_ERROR', `the kept table ${t.name} is damaged (${file.size} bytes of ${t.bytes}): forget the workspace and load the files again`);
      reports.push(lab.restoreTable(new Uint8Array(await file.arrayBuffer()), t.name) as LoadReport);
    }
  } catch (e) {
    // All or nothing: a table restored before the one that failed is dropped again.
    for (const r of reports) lab.drop(r.kind);
    throw (e as { code?: unknown }).code !== undefined && typeof (e as { code?: unknown }).code === 'string' ? e : storageError(e, 'restore');
  }
  return { ...publicOf(manifest), reports };
}

/** Deletes everything kept; resolves to whether anything was. */
export async function forget(): Promise<boolean> {
  if (!navigator.storage?.getDirectory) return false;
  const top = await navigator.storage.getDirectory();
  try {
    await top.removeEntry(WORKSPACE_DIR, { recursive: true });
    return true;
  } catch (e) {
    if ((e as DOMException).name === 'NotFoundError') return false;
    throw e;
  }
}
