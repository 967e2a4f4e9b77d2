// Reads the HTTP API's OpenAPI schema (from `python -m server.openapi`) on stdin and writes its
// TypeScript types (`paths`, `operations`) to stdout, for openapi-fetch. Run it through
// `make codegen`; the output is deterministic, and a test regenerates it and compares.
//
// A body or answer that is a model of server/protocol/ is typed by protocol.gen.ts, the same
// type the websocket uses (FastAPI's "-Input"/"-Output" copies included), so one model is one
// type on the page; only what the protocol lacks (FastAPI's validation errors) is written here.
import { readFileSync } from "node:fs";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const BANNER =
  "/* GENERATED from the server's OpenAPI schema by `make codegen` — DO NOT EDIT BY HAND. */";
const PROTOCOL = new URL("../src/lib/protocol.gen.ts", import.meta.url);
const exported = new Set(
  [...readFileSync(PROTOCOL, "utf8").matchAll(/^export (?:interface|type) (\w+)/gm)].map(
    (m) => m[1],
  ),
);
const f = ts.factory;
// Bytes (a safetensors file up or down) are Blobs in the browser, not strings.
const BLOB = f.createTypeReferenceNode(f.createIdentifier("Blob"));

/**
 * The protocol type a component schema is, or undefined when the protocol has none.
 * @param {string | undefined} path
 */
function protocolType(path) {
  const match = /^#\/components\/schemas\/([A-Za-z0-9_]+?)(?:-Input|-Output)?$/.exec(path ?? "");
  const name = match?.[1];
  if (name === undefined || !exported.has(name)) return undefined;
  return f.createTypeReferenceNode(f.createQualifiedName(f.createIdentifier("protocol"), name));
}

/** @type {Buffer[]} */
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const schema = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const ast = await openapiTS(schema, {
  transform(property, { path }) {
    if (property.format === "binary") return BLOB;
    return protocolType(path);
  },
});
const header = `${BANNER}\n\nimport type * as protocol from "./protocol.gen";\n\n`;
process.stdout.write(header + astToString(ast));
