// The IndexedDB wrapper on fake-indexeddb: order, the bound, renames that survive a re-save,
// deletes, and records it cannot read (another schema, damaged) skipped and counted.

import "fake-indexeddb/auto";
import { openDB } from "idb";
import { describe, expect, it } from "vitest";
import { record } from "./runFixtures";
import { openRunHistory } from "./runHistory";

let dbCount = 0;
/** Each test its own database, so none sees another's runs. */
const freshName = () => `runs-test-${++dbCount}`;

describe("openRunHistory", () => {
  it("lists saved runs newest first and gets one by id", async () => {
    const history = await openRunHistory(freshName());
    await history.save(record({ id: "old", createdAt: 1 }));
    await history.save(record({ id: "new", createdAt: 2 }));
    const { runs, skipped } = await history.list();
    expect(runs.map((r) => r.id)).toEqual(["new", "old"]);
    expect(skipped).toBe(0);
    expect((await history.get("old"))?.createdAt).toBe(1);
    expect(await history.get("missing")).toBeUndefined();
  });

  it("keeps at most the bound, dropping the oldest", async () => {
    const history = await openRunHistory(freshName(), 3);
    const dropped: number[] = [];
    for (let i = 1; i <= 5; i++)
      dropped.push(await history.save(record({ id: `r${i}`, createdAt: i })));
    expect(dropped).toEqual([0, 0, 0, 1, 1]);
    expect((await history.list()).runs.map((r) => r.id)).toEqual(["r5", "r4", "r3"]);
  });

  it("saving the same run again updates it in place, without dropping others", async () => {
    const history = await openRunHistory(freshName(), 2);
    await history.save(record({ id: "a", createdAt: 1 }));
    await history.save(record({ id: "b", createdAt: 2 }));
    expect(await history.save(record({ id: "a", createdAt: 1, savedAt: 9 }))).toBe(0);
    const { runs } = await history.list();
    expect(runs.map((r) => [r.id, r.savedAt])).toEqual([
      ["b", 1],
      ["a", 9],
    ]);
  });

  it("renames a run; an empty name restores the default", async () => {
    const history = await openRunHistory(freshName());
    await history.save(record({ id: "a" }));
    await history.rename("a", "  tanh wins ");
    expect((await history.get("a"))?.name).toBe("tanh wins");
    await history.rename("a", "");
    expect((await history.get("a"))?.name).toBeNull();
    await expect(history.rename("gone", "x")).rejects.toThrow(/no longer kept/);
  });

  it("deletes one run, and clears all", async () => {
    const history = await openRunHistory(freshName());
    await history.save(record({ id: "a", createdAt: 1 }));
    await history.save(record({ id: "b", createdAt: 2 }));
    await history.delete("a");
    expect((await history.list()).runs.map((r) => r.id)).toEqual(["b"]);
    await history.clear();
    expect((await history.list()).runs).toEqual([]);
  });

  it("skips records of another schema or damaged ones, and counts them", async () => {
    const name = freshName();
    const history = await openRunHistory(name);
    await history.save(record({ id: "good" }));
    const raw = await openDB(name);
    await raw.put("runs", { ...record({ id: "future" }), schema: 99 });
    await raw.put("runs", { id: "broken", createdAt: 3, metrics: "??" });
    raw.close();
    const { runs, skipped } = await history.list();
    expect(runs.map((r) => r.id)).toEqual(["good"]);
    expect(skipped).toBe(2);
    expect(await history.get("broken")).toBeUndefined();
  });
});
