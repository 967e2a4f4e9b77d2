// The run history in the browser's IndexedDB (through `idb`): typed records, a schema version,
// and a bound — beyond MAX_RUNS the oldest runs are dropped. Nothing of it reaches the server.

import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import { isRunRecord, type RunRecord } from "./runRecord";

export const RUNS_DB_NAME = "nn-playground-runs";
/** The database's version (its stores and indexes); the records carry their own schema. */
const DB_VERSION = 1;
/** How many runs are kept; saving one more drops the oldest. */
export const MAX_RUNS = 50;

interface RunsDb extends DBSchema {
  runs: { key: string; value: RunRecord; indexes: { createdAt: number } };
}

/** What the Runs list needs from its storage (this wrapper; tests may use it on fake-indexeddb). */
export interface RunStorage {
  /**
   * Saves (or replaces) a run, its write issued before the call returns; resolves to how many
   * old runs were dropped to keep the bound.
   */
  save(record: RunRecord): Promise<number>;
  /** Every readable run, newest first, and how many stored ones could not be read. */
  list(): Promise<{ runs: RunRecord[]; skipped: number }>;
  get(id: string): Promise<RunRecord | undefined>;
  rename(id: string, name: string | null): Promise<void>;
  delete(id: string): Promise<void>;
  /** Forgets every run. */
  clear(): Promise<void>;
}

/** Opens (creating on first use) the history; throws where the browser has no IndexedDB. */
export async function openRunHistory(name = RUNS_DB_NAME, maxRuns = MAX_RUNS): Promise<RunStorage> {
  if (typeof indexedDB === "undefined") throw new Error("this browser has no IndexedDB");
  const db = await openDB<RunsDb>(name, DB_VERSION, {
    upgrade(database) {
      const runs = database.createObjectStore("runs", { keyPath: "id" });
      runs.createIndex("createdAt", "createdAt");
    },
  });
  return new IdbRunHistory(db, maxRuns);
}

class IdbRunHistory implements RunStorage {
  constructor(
    private readonly db: IDBPDatabase<RunsDb>,
    private readonly maxRuns: number,
  ) {}

  async save(record: RunRecord): Promise<number> {
    const tx = this.db.transaction("runs", "readwrite");
    // Written before anything is awaited: a page closing right after the call still keeps it.
    const written = tx.store.put(record);
    await written;
    let over = (await tx.store.count()) - this.maxRuns;
    let dropped = 0;
    let cursor = await tx.store.index("createdAt").openCursor();
    while (cursor && over > 0) {
      if (cursor.primaryKey !== record.id) {
        await cursor.delete();
        over--;
        dropped++;
      }
      cursor = await cursor.continue();
    }
    await tx.done;
    return dropped;
  }

  async list(): Promise<{ runs: RunRecord[]; skipped: number }> {
    const all: unknown[] = await this.db.getAll("runs");
    const runs = all.filter(isRunRecord).sort((a, b) => b.createdAt - a.createdAt);
    return { runs, skipped: all.length - runs.length };
  }

  async get(id: string): Promise<RunRecord | undefined> {
    const value: unknown = await this.db.get("runs", id);
    return isRunRecord(value) ? value : undefined;
  }

  async rename(id: string, name: string | null): Promise<void> {
    const tx = this.db.transaction("runs", "readwrite");
    const record: unknown = await tx.store.get(id);
    if (!isRunRecord(record)) throw new Error("that run is no longer kept");
    const trimmed = name?.trim() ?? "";
    await tx.store.put({ ...record, name: trimmed === "" ? null : trimmed });
    await tx.done;
  }

  async delete(id: string): Promise<void> {
    await this.db.delete("runs", id);
  }

  async clear(): Promise<void> {
    await this.db.clear("runs");
  }
}
