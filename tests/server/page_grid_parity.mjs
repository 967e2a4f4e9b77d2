// Runs the page's evaluator (frontend/src/lib/evaluate.ts, bundled with it by rolldown) on the cases of a JSON fixture and writes each case's planes as base64 float32.
// tests/server/test_page_grid_parity.py writes the fixture, runs this and compares.
import { readFileSync, writeFileSync } from "node:fs";
import { compileNet, evaluateGrid } from "../../frontend/src/lib/evaluate.ts";

const [input, output] = process.argv.slice(2);
const cases = JSON.parse(readFileSync(input, "utf8"));
const results = cases.map((c) => {
  const weights = {
    ...c.weights,
    data: new Uint8Array(Buffer.from(c.weights.data, "base64")),
  };
  const grid = evaluateGrid(compileNet(weights), c.box, c.side, c.line);
  const planes = grid.planes.map((p) =>
    Buffer.from(p.buffer, p.byteOffset, p.byteLength).toString("base64"),
  );
  return { kind: grid.kind, width: grid.width, height: grid.height, planes };
});
writeFileSync(output, JSON.stringify(results));
