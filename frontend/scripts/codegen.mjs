// Reads the protocol's JSON schema (from `python -m server.protocol`) on stdin and writes
// TypeScript for every definition to stdout. Run it through `make codegen` / `npm run codegen`;
// the output is deterministic, and a test regenerates it and compares.
import { compile } from "json-schema-to-typescript";

/** @typedef {Record<string, any>} Schema */

const BANNER = "/* GENERATED from server/protocol/ by `make codegen` — DO NOT EDIT BY HAND. */";

async function readStdin() {
  /** @type {Buffer[]} */
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Rewrites one property schema into the subset json-schema-to-typescript renders well.
 * @param {any} schema
 * @returns {any}
 */
function tidyProperty(schema) {
  if (schema === null || typeof schema !== "object") return schema;
  if (Array.isArray(schema)) return schema.map(tidyProperty);
  /** @type {Schema} */
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    // A title on a property becomes a needless named alias (Name1, Type5, ...).
    if (key === "title") continue;
    out[key] = typeof value === "object" ? tidyProperty(value) : value;
  }
  // Siblings of a $ref make the generator clone the referenced type (RunSettings1, ...).
  if ("$ref" in out) return { $ref: out.$ref };
  // Draft 2020-12 tuples (pydantic's tuple[...]) in the draft-07 form the generator knows.
  if (Array.isArray(out.prefixItems)) {
    out.items = out.prefixItems;
    out.additionalItems = false;
    delete out.prefixItems;
  }
  return out;
}

/**
 * Tidies a definition; its `type` discriminator becomes required so unions narrow on it.
 * @param {Schema} def
 * @returns {Schema}
 */
function tidyDefinition(def) {
  const out = { ...def };
  if (def.properties) {
    out.properties = Object.fromEntries(
      Object.entries(/** @type {Schema} */ (def.properties)).map(([name, prop]) => [
        name,
        tidyProperty(prop),
      ]),
    );
    if (def.properties.type?.const !== undefined) {
      out.required = [...new Set([...(def.required ?? []), "type"])];
    }
  }
  if (def.additionalProperties && typeof def.additionalProperties === "object") {
    out.additionalProperties = tidyProperty(def.additionalProperties);
  }
  if (def.oneOf) out.oneOf = def.oneOf.map(tidyProperty);
  return out;
}

/** @type {Schema} */
const schema = JSON.parse(await readStdin());
const names = Object.keys(schema.$defs ?? {}).sort();
const defs = Object.fromEntries(names.map((name) => [name, tidyDefinition(schema.$defs[name])]));
// The root only makes every definition reachable; its own union is dropped below.
const root = {
  title: "Protocol",
  $defs: defs,
  oneOf: names.map((name) => ({ $ref: `#/$defs/${name}` })),
};

const ts = await compile(root, "Protocol", {
  bannerComment: BANNER,
  additionalProperties: false,
  unreachableDefinitions: true,
  strictIndexSignatures: true,
  maxItems: -1,
  format: true,
  style: { printWidth: 100, semi: true, singleQuote: false, trailingComma: "all" },
});

const ROOT_UNION = /^export type Protocol =[^;]*;\n/m;
if (!ROOT_UNION.test(ts)) throw new Error("codegen: the root union was not where expected");
process.stdout.write(ts.replace(ROOT_UNION, "") + limitsAtCodegen(schema.$defs?.Limits));

/**
 * The catalog's limits with the values server/limits.py had at codegen (each field's default):
 * the page's only copy, used until /api/catalog answers.
 * @param {Schema | undefined} def
 * @returns {string}
 */
function limitsAtCodegen(def) {
  if (!def?.properties) return "";
  const entries = Object.entries(/** @type {Schema} */ (def.properties)).map(
    ([name, prop]) => `  ${name}: ${JSON.stringify(prop.default)},`,
  );
  return [
    "",
    "/** server/limits.py's values when this file was generated: the page uses them until",
    " * /api/catalog answers with the limits in force. */",
    "export const LIMITS_AT_CODEGEN: Limits = {",
    ...entries,
    "};",
    "",
  ].join("\n");
}
