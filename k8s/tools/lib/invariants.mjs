// Invariants of Sightline's rendered manifests: each function takes an overlay context (see context()) and the
// project facts (see facts()) and returns a list of problems (empty = pass).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  MODULES, configMappings, defaultOf, envNameOf, expressionEnvNames, parseDockerfile, projectVersion, quarkusKeys,
  readProperties,
} from "./config.mjs";
import { ingressAllowed } from "./netpol.mjs";

export const NAMESPACE = "sightline";
export const IMAGE_REPO = "registry.example.com/sightline";
const SERVICES = Object.keys(MODULES);
const KSVC = (d) => d.apiVersion === "serving.knative.dev/v1" && d.kind === "Service";

/** Environment variables that are not configuration keys of the services, and why they are allowed. */
export const EXTERNAL_ENV = {
  JAVA_TOOL_OPTIONS: "read by the JVM itself",
  DJL_CACHE_DIR: "read by DJL (ai.djl.util.Utils#getCacheDir) for its native-library cache",
};

/**
 * The internal credential: the configuration key every service requires (common's InternalConfig) and the Secret
 * it comes from in Kubernetes (k8s/secrets/internal-token.template.yaml). One Secret for all three services: the
 * gateway sends what embed-service and retrieval-service expect.
 */
export const INTERNAL_TOKEN = { property: "sightline.internal.token", secret: "sightline-internal-token", key: "token" };
/** Environment variables whose values are secrets: they come from Secrets, never from a literal or a ConfigMap. */
const SECRET_ENV = /(^|_)(TOKEN|PASSWORD|SECRET)$/;

/**
 * Configuration a service cannot start without: @ConfigMapping properties with no @WithDefault, not Optional and
 * not set by the prod profile of application.properties, and ${NAME} expressions of application.properties
 * without a default. [{env, key, source}]
 */
export function requiredConfig(mod) {
  const out = [];
  for (const p of mod.mappingProps) {
    if (p.default !== undefined || /^(Optional|OptionalInt|OptionalLong|OptionalDouble|Map)\b/.test(p.type) || mod.props.has(p.key)) continue;
    out.push({ env: envNameOf(p.key), key: p.key, source: p.source });
  }
  for (const [key, v] of mod.props) for (const m of v.matchAll(/\$\{([A-Z][A-Z0-9_]*)\}/g)) out.push({ env: m[1], key, source: "application.properties" });
  return out;
}

/** Facts about the project the manifests must agree with, read from the modules themselves. */
export function facts(repo) {
  const f = { repo, version: projectVersion(repo), modules: {} };
  for (const m of Object.keys(MODULES)) {
    const props = readProperties(repo, m);
    // every @ConfigMapping on the service's class path: its own and those of the project modules it packages
    const mappings = configMappings(repo, m);
    const mappingProps = mappings.flatMap((x) => x.props.map((p) => ({ ...p, source: x.path })));
    const dockerDir = join(repo, m, "src/main/docker");
    const dockerfiles = existsSync(dockerDir)
      ? Object.fromEntries(readdirSync(dockerDir).filter((x) => /^Dockerfile\.[a-z]+$/.test(x))
        .map((x) => [x.slice("Dockerfile.".length), { path: `${m}/src/main/docker/${x}`, text: readFileSync(join(dockerDir, x), "utf8") }]))
      : {};
    f.modules[m] = {
      port: Number(props.get("quarkus.http.port")),
      props,
      mappings,
      mappingProps,
      mappingEnv: new Map(mappingProps.map((p) => [envNameOf(p.key), p])),
      exprEnv: expressionEnvNames(props),
      quarkus: quarkusKeys(repo, m),
      dockerfiles,
    };
  }
  return f;
}

const containerOf = (podSpec, name) => (podSpec?.containers || []).find((c) => c.name === name) || podSpec?.containers?.[0];

/** Everything an invariant needs about one rendered overlay. */
export function context(name, docs, secretTemplates) {
  const ctx = { name, docs, secretTemplates, workloads: {}, problems: [] };
  ctx.configMaps = new Map(docs.filter((d) => d.kind === "ConfigMap").map((d) => [d.metadata.name, d]));
  ctx.secrets = new Map(secretTemplates.map((d) => [d.metadata.name, d]));
  ctx.mode = docs.some(KSVC) ? "serverless" : "classic";
  for (const s of SERVICES) {
    const found = docs.filter((d) => (d.kind === "Deployment" || KSVC(d)) && d.metadata.name === s);
    if (found.length !== 1) { ctx.problems.push(`${s}: ${found.length} workloads (Deployment or Knative Service) named ${s}, expected 1`); continue; }
    const doc = found[0];
    const podSpec = doc.spec?.template?.spec;
    const container = containerOf(podSpec, s);
    ctx.workloads[s] = { doc, kind: KSVC(doc) ? "KnativeService" : "Deployment", podSpec, podMeta: doc.spec?.template?.metadata || {}, container, env: envOf(ctx, container) };
  }
  return ctx;
}

/** name -> {value?, configMap?, secret?, key?} of a container's environment (envFrom then env, as Kubernetes). */
export function envOf(ctx, c) {
  const env = new Map();
  for (const ef of c?.envFrom || []) {
    if (ef.configMapRef) {
      const cm = ctx.configMaps.get(ef.configMapRef.name);
      for (const [k, v] of Object.entries(cm?.data || {})) env.set((ef.prefix || "") + k, { value: v, configMap: ef.configMapRef.name });
    }
    if (ef.secretRef) {
      const s = ctx.secrets.get(ef.secretRef.name);
      for (const k of Object.keys({ ...(s?.stringData || {}), ...(s?.data || {}) })) env.set((ef.prefix || "") + k, { secret: ef.secretRef.name, key: k });
    }
  }
  for (const e of c?.env || []) {
    if (e.valueFrom?.secretKeyRef) env.set(e.name, { secret: e.valueFrom.secretKeyRef.name, key: e.valueFrom.secretKeyRef.key });
    else if (e.valueFrom?.configMapKeyRef) {
      const cm = ctx.configMaps.get(e.valueFrom.configMapKeyRef.name);
      env.set(e.name, { value: cm?.data?.[e.valueFrom.configMapKeyRef.key], configMap: e.valueFrom.configMapKeyRef.name });
    } else env.set(e.name, { value: e.value });
  }
  return env;
}

const cores = (q) => (q === undefined ? NaN : String(q).endsWith("m") ? Number(String(q).slice(0, -1)) / 1000 : Number(q));
const bytes = (q) => {
  const m = /^([0-9.]+)([KMGTE]i?)?$/.exec(String(q));
  if (!m) return NaN;
  const mult = { K: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 }[m[2]] || 1;
  return Number(m[1]) * mult;
};
const envValue = (w, name) => w?.env.get(name)?.value;
/** Effective value of a config property for a workload: env override, else application.properties, else @WithDefault. */
const effective = (F, w, module, property) => {
  const fromEnv = envValue(w, envNameOf(property));
  if (fromEnv !== undefined) return fromEnv;
  const fromProps = defaultOf(F.modules[module].props, property);
  if (fromProps !== undefined) return fromProps;
  return F.modules[module].mappingProps.find((p) => p.key === property)?.default;
};
const mountsOf = (w) => (w.container?.volumeMounts || []).map((vm) => ({ ...vm, volume: (w.podSpec?.volumes || []).find((v) => v.name === vm.name) }));
const underMount = (path, mounts, pred) => mounts.find((m) => pred(m) && (path === m.mountPath || path.startsWith(m.mountPath.replace(/\/$/, "") + "/")));
const annotations = (w) => w.podMeta.annotations || {};

export const INVARIANTS = [
  ["one workload per service (Deployment in classic overlays, Knative Service in serverless ones)", (ctx) => {
    const p = [...ctx.problems];
    for (const [s, w] of Object.entries(ctx.workloads)) {
      const want = ctx.mode === "serverless" ? "KnativeService" : "Deployment";
      if (w.kind !== want) p.push(`${s}: is a ${w.kind}, this overlay deploys with ${want}`);
      if (!w.container || w.container.name !== s) p.push(`${s}: no container named ${s}`);
      if (w.podSpec?.containers?.length !== 1) p.push(`${s}: expected exactly one container`);
      if (w.podMeta.labels?.["app.kubernetes.io/name"] !== s) p.push(`${s}: pod label app.kubernetes.io/name must be ${s}`);
      if (w.podSpec?.serviceAccountName !== s) p.push(`${s}: serviceAccountName must be ${s}`);
      if (!ctx.docs.some((d) => d.kind === "ServiceAccount" && d.metadata.name === s)) p.push(`${s}: ServiceAccount ${s} missing`);
    }
    return p;
  }],

  ["every container has cpu and memory requests and limits, limits >= requests", (ctx) => {
    const p = [];
    for (const [s, w] of Object.entries(ctx.workloads)) for (const c of w.podSpec?.containers || []) {
      const r = c.resources || {};
      for (const res of ["cpu", "memory"]) {
        if (r.requests?.[res] === undefined) p.push(`${s}/${c.name}: no ${res} request`);
        if (r.limits?.[res] === undefined) p.push(`${s}/${c.name}: no ${res} limit`);
      }
      if (cores(r.limits?.cpu) < cores(r.requests?.cpu)) p.push(`${s}/${c.name}: cpu limit below request`);
      if (bytes(r.limits?.memory) < bytes(r.requests?.memory)) p.push(`${s}/${c.name}: memory limit below request`);
    }
    const cluster = ctx.docs.find((d) => d.kind === "Cluster" && d.apiVersion.startsWith("postgresql.cnpg.io"));
    for (const res of ["cpu", "memory"]) {
      if (cluster && (cluster.spec.resources?.requests?.[res] === undefined || cluster.spec.resources?.limits?.[res] === undefined)) p.push(`Cluster ${cluster.metadata.name}: no ${res} request/limit`);
    }
    return p;
  }],

  ["liveness probe GET /q/health/live and readiness probe GET /q/health/ready, on the container's port", (ctx, F) => {
    const p = [];
    for (const [s, w] of Object.entries(ctx.workloads)) {
      const c = w.container;
      for (const [probe, path] of [["livenessProbe", "/q/health/live"], ["readinessProbe", "/q/health/ready"]]) {
        const g = c?.[probe]?.httpGet;
        if (!g) { p.push(`${s}: no ${probe} (httpGet)`); continue; }
        if (g.path !== path) p.push(`${s}: ${probe} path ${g.path}, expected ${path}`);
        const port = typeof g.port === "string" ? (c.ports || []).find((x) => x.name === g.port)?.containerPort : g.port;
        if (w.kind === "KnativeService" && g.port !== undefined && typeof g.port !== "number") p.push(`${s}: Knative needs a numeric probe port (equal to containerPort) or none`);
        if (g.port !== undefined && port !== F.modules[s].port) p.push(`${s}: ${probe} port ${g.port} is not the service port ${F.modules[s].port}`);
      }
      if (c?.startupProbe && w.kind === "KnativeService") p.push(`${s}: Knative Serving does not accept startupProbe`);
    }
    return p;
  }],

  ["containerPort = quarkus.http.port from the module's application.properties", (ctx, F) => {
    const p = [];
    for (const [s, w] of Object.entries(ctx.workloads)) {
      const ports = w.container?.ports || [];
      if (ports.length !== 1) p.push(`${s}: expected one container port, found ${ports.length}`);
      if (ports[0]?.containerPort !== F.modules[s].port) p.push(`${s}: containerPort ${ports[0]?.containerPort}, ${s}/src/main/resources/application.properties says quarkus.http.port=${F.modules[s].port}`);
      if (w.kind === "KnativeService" && ports[0]?.name && !["http1", "h2c"].includes(ports[0].name)) p.push(`${s}: Knative port name must be http1 or h2c`);
      if (envValue(w, "QUARKUS_HTTP_PORT") !== undefined && Number(envValue(w, "QUARKUS_HTTP_PORT")) !== ports[0]?.containerPort) p.push(`${s}: QUARKUS_HTTP_PORT disagrees with containerPort`);
    }
    return p;
  }],

  ["securityContext: non-root with the Dockerfile's UID, no privilege escalation, capabilities dropped, RuntimeDefault seccomp, read-only root filesystem", (ctx, F) => {
    const p = [];
    for (const [s, w] of Object.entries(ctx.workloads)) for (const c of w.podSpec?.containers || []) {
      const sc = c.securityContext || {};
      const pod = w.podSpec.securityContext || {};
      const get = (k) => (sc[k] !== undefined ? sc[k] : pod[k]);
      if (get("runAsNonRoot") !== true) p.push(`${s}: runAsNonRoot is not true`);
      if (sc.allowPrivilegeEscalation !== false) p.push(`${s}: allowPrivilegeEscalation is not false`);
      if (sc.readOnlyRootFilesystem !== true) p.push(`${s}: readOnlyRootFilesystem is not true`);
      if (sc.privileged) p.push(`${s}: privileged`);
      if (!(sc.capabilities?.drop || []).includes("ALL")) p.push(`${s}: capabilities.drop does not contain ALL`);
      if ((sc.capabilities?.add || []).length) p.push(`${s}: adds capabilities`);
      if ((get("seccompProfile") || {}).type !== "RuntimeDefault") p.push(`${s}: seccompProfile is not RuntimeDefault`);
      const uid = get("runAsUser");
      if (uid === undefined || uid === 0) p.push(`${s}: runAsUser must be set to a non-zero UID`);
      for (const [variant, df] of Object.entries(F.modules[s].dockerfiles)) {
        const user = parseDockerfile(df.text).filter((i) => i.op === "USER").pop()?.args;
        if (user && Number(user.split(":")[0]) !== uid) p.push(`${s}: runAsUser ${uid} differs from USER ${user} in ${df.path} (${variant})`);
      }
    }
    return p;
  }],

  ["writable paths (/tmp = java.io.tmpdir, DJL_CACHE_DIR, uploads directory) are emptyDir mounts; nothing else writable", (ctx) => {
    const p = [];
    for (const [s, w] of Object.entries(ctx.workloads)) {
      const mounts = mountsOf(w);
      const isEmptyDir = (m) => !!m.volume?.emptyDir;
      const need = ["/tmp"];
      const tmpdir = /-Djava\.io\.tmpdir=(\S+)/.exec(envValue(w, "JAVA_TOOL_OPTIONS") || "")?.[1];
      if (tmpdir) need.push(tmpdir);
      if (s === "embed-service") {
        const djl = envValue(w, "DJL_CACHE_DIR");
        if (!djl) p.push(`${s}: DJL_CACHE_DIR not set (DJL would extract into $HOME/.djl.ai on a read-only filesystem)`);
        else need.push(djl);
      }
      const uploads = envValue(w, "QUARKUS_HTTP_BODY_UPLOADS_DIRECTORY");
      if (s !== "retrieval-service" && !uploads) p.push(`${s}: QUARKUS_HTTP_BODY_UPLOADS_DIRECTORY not set (multipart uploads default to ./file-uploads, not writable)`);
      if (uploads) need.push(uploads);
      for (const path of need) if (!underMount(path, mounts, isEmptyDir)) p.push(`${s}: ${path} must be on an emptyDir volume`);
      for (const m of mounts) {
        if (!m.volume) p.push(`${s}: volumeMount ${m.name} has no volume`);
        else if (!m.volume.emptyDir && m.readOnly !== true) p.push(`${s}: volume ${m.name} (${Object.keys(m.volume).filter((k) => k !== "name")}) must be mounted readOnly`);
      }
    }
    return p;
  }],

  ["environment variable names are configuration keys of the service (ConfigMapping, application.properties, Quarkus runtime keys)", (ctx, F) => {
    const p = [];
    for (const [s, w] of Object.entries(ctx.workloads)) {
      const mod = F.modules[s];
      for (const [name, src] of w.env) {
        if (EXTERNAL_ENV[name]) continue;
        if (mod.exprEnv.has(name)) continue;
        const mapped = mod.mappingEnv.get(name);
        if (mapped) {
          if (mapped.values && src.value !== undefined && !mapped.values.includes(src.value)) p.push(`${s}: ${name}=${src.value} is not one of ${mapped.values.join("|")} (${mapped.key})`);
          if (/^(int|long)$/.test(mapped.type) && src.value !== undefined && !/^-?\d+$/.test(src.value)) p.push(`${s}: ${name}=${src.value} is not an integer (${mapped.key})`);
          if (mapped.type === "Duration" && src.value !== undefined && !/^P/.test(src.value)) p.push(`${s}: ${name}=${src.value} is not an ISO-8601 duration`);
          continue;
        }
        if (name.startsWith("SIGHTLINE_")) { p.push(`${s}: ${name} is no key of ${mod.mappings.map((x) => x.path.split("/").pop().replace(/\.java$/, "")).join(", ")} nor read by its application.properties`); continue; }
        if (name.startsWith("QUARKUS_")) {
          if ([...mod.props.keys()].some((k) => envNameOf(k) === name)) continue;
          if (!mod.quarkus) continue; // reported as skipped by check.mjs
          const q = mod.quarkus.keys.get(name) || mod.quarkus.patterns.find((x) => x.regex.test(name));
          if (!q) p.push(`${s}: ${name} is no Quarkus configuration key of the extensions ${s} packages`);
          else if (q.phase !== "RUN_TIME") p.push(`${s}: ${name} (${q.property}) is fixed at build time (${q.phase}): setting it at run time has no effect`);
          continue;
        }
        p.push(`${s}: ${name} is neither a configuration key nor a known external variable`);
      }
    }
    return p;
  }],

  ["every configuration key without a production default is set (without it the service does not start)", (ctx, F) => {
    const p = [];
    for (const [s, w] of Object.entries(ctx.workloads)) {
      for (const k of requiredConfig(F.modules[s])) if (!w.env.has(k.env)) p.push(`${s}: ${k.env} is not set: ${k.key} (${k.source}) has no default, the service would not start`);
    }
    return p;
  }],

  [`internal token: every service gets SIGHTLINE_INTERNAL_TOKEN from Secret ${INTERNAL_TOKEN.secret} key ${INTERNAL_TOKEN.key} by secretKeyRef; no secret value is a literal or in a ConfigMap`, (ctx, F) => {
    const p = [];
    const { property, secret, key } = INTERNAL_TOKEN;
    const name = envNameOf(property);
    for (const [s, w] of Object.entries(ctx.workloads)) {
      if (!F.modules[s].mappingEnv.has(name)) p.push(`${s}: ${property} is no configuration key of ${s} (any more?): this check and k8s/README.md must follow the code`);
      const entries = (w.container?.env || []).filter((e) => e.name === name);
      if (entries.length > 1) p.push(`${s}: ${name} is declared ${entries.length} times`);
      const e = entries[entries.length - 1];
      const ref = e?.valueFrom?.secretKeyRef;
      if (!e) p.push(`${s}: ${name} is ${w.env.has(name) ? "set through envFrom" : "not set"}: it must be an env entry with valueFrom.secretKeyRef ${secret}/${key} (without the token the service does not start)`);
      else if (!ref) p.push(`${s}: ${name} is ${e.value !== undefined ? "a literal value" : `taken from ${Object.keys(e.valueFrom || {}).join(", ") || "nothing"}`}: it must come from Secret ${secret} key ${key} (secretKeyRef)`);
      else {
        if (ref.name !== secret || ref.key !== key) p.push(`${s}: ${name} from Secret ${ref.name} key ${ref.key}: expected ${secret} key ${key}, the one token all services share`);
        if (ref.optional) p.push(`${s}: ${name} secretKeyRef is optional: a pod must not start without the token`);
      }
      for (const [n, src] of w.env) if (SECRET_ENV.test(n) && src.secret === undefined) p.push(`${s}: ${n} ${src.configMap ? `comes from ConfigMap ${src.configMap}` : "is a literal value"}: secrets come from Secrets (secretKeyRef)`);
    }
    for (const [cm, d] of ctx.configMaps) for (const k of Object.keys(d.data || {})) if (SECRET_ENV.test(k)) p.push(`ConfigMap ${cm} holds ${k}: secrets belong in Secrets`);
    const t = ctx.secrets.get(secret);
    if (!t) p.push(`Secret ${secret} has no template in k8s/secrets`);
    else if (!(key in (t.stringData || {}))) p.push(`Secret ${secret} template has no key ${key}`);
    return p;
  }],

  ["referenced ConfigMaps exist; referenced Secrets and keys exist in k8s/secrets/*.template.yaml", (ctx) => {
    const p = [];
    const secretHas = (name, key) => {
      const s = ctx.secrets.get(name);
      if (!s) return `Secret ${name} has no template in k8s/secrets`;
      if (key !== undefined && !(key in (s.stringData || {})) && !(key in (s.data || {}))) return `Secret ${name} template has no key ${key}`;
      return null;
    };
    for (const [s, w] of Object.entries(ctx.workloads)) {
      for (const c of w.podSpec?.containers || []) {
        for (const ef of c.envFrom || []) {
          if (ef.configMapRef && !ctx.configMaps.has(ef.configMapRef.name)) p.push(`${s}: ConfigMap ${ef.configMapRef.name} not rendered`);
          if (ef.secretRef) { const e = secretHas(ef.secretRef.name); if (e) p.push(`${s}: ${e}`); }
        }
        for (const e of c.env || []) {
          if (e.valueFrom?.secretKeyRef) { const x = secretHas(e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key); if (x) p.push(`${s}: ${x}`); }
          if (e.valueFrom?.configMapKeyRef && !ctx.configMaps.get(e.valueFrom.configMapKeyRef.name)?.data?.[e.valueFrom.configMapKeyRef.key]) p.push(`${s}: ConfigMap key ${e.valueFrom.configMapKeyRef.name}/${e.valueFrom.configMapKeyRef.key} missing`);
        }
      }
      for (const v of w.podSpec?.volumes || []) {
        if (v.secret) { const e = secretHas(v.secret.secretName); if (e) p.push(`${s}: ${e}`); }
        if (v.configMap && !ctx.configMaps.has(v.configMap.name)) p.push(`${s}: ConfigMap ${v.configMap.name} not rendered`);
      }
    }
    for (const d of ctx.docs.filter((d) => d.apiVersion?.startsWith("postgresql.cnpg.io") && d.kind === "Cluster")) {
      const refs = [[d.spec.bootstrap?.initdb?.secret?.name], [d.spec.backup?.barmanObjectStore?.s3Credentials?.accessKeyId?.name, d.spec.backup?.barmanObjectStore?.s3Credentials?.accessKeyId?.key], [d.spec.backup?.barmanObjectStore?.s3Credentials?.secretAccessKey?.name, d.spec.backup?.barmanObjectStore?.s3Credentials?.secretAccessKey?.key]];
      for (const [name, key] of refs) if (name) { const e = secretHas(name, key); if (e) p.push(`Cluster ${d.metadata.name}: ${e}`); }
    }
    for (const ing of ctx.docs.filter((d) => d.kind === "Ingress")) for (const t of ing.spec.tls || []) { const e = secretHas(t.secretName); if (e) p.push(`Ingress ${ing.metadata.name}: ${e}`); }
    return p;
  }],

  ["images: registry.example.com/sightline/<module>:<project version> (-gpu for GPU), each built by a Dockerfile of that module", (ctx, F) => {
    const p = [];
    for (const [s, w] of Object.entries(ctx.workloads)) {
      const image = w.container?.image || "";
      const gpu = s === "embed-service" && envValue(w, "SIGHTLINE_EMBED_RUNTIME_DEVICE") === "gpu";
      const want = `${IMAGE_REPO}/${s}:${F.version}${gpu ? "-gpu" : ""}`;
      if (image !== want) p.push(`${s}: image ${image}, expected ${want}`);
      const variant = gpu ? "gpu" : "jvm";
      if (!F.modules[s].dockerfiles[variant]) p.push(`${s}: no ${s}/src/main/docker/Dockerfile.${variant} builds ${want}`);
      if (w.container?.imagePullPolicy === "Never") p.push(`${s}: imagePullPolicy Never`);
    }
    return p;
  }],

  ["gateway: the API keys file is on a whole-Secret volume (no subPath, so updates reach it) holding that key", (ctx) => {
    const w = ctx.workloads.gateway;
    if (!w) return ["no gateway"];
    const file = envValue(w, "SIGHTLINE_GATEWAY_AUTH_KEYS_FILE");
    if (!file) return ["SIGHTLINE_GATEWAY_AUTH_KEYS_FILE not set"];
    const m = underMount(file, mountsOf(w), (x) => !!x.volume?.secret);
    if (!m) return [`${file} is not on a Secret volume`];
    const p = [];
    if (m.subPath) p.push(`${file}: mounted with subPath (Secret updates would never reach it)`);
    const key = file.slice(m.mountPath.replace(/\/$/, "").length + 1);
    const tmpl = ctx.secrets.get(m.volume.secret.secretName);
    if (!tmpl) p.push(`Secret ${m.volume.secret.secretName} has no template`);
    else if (!(key in (tmpl.stringData || {}))) p.push(`Secret ${m.volume.secret.secretName} has no key ${key}`);
    if ((m.volume.secret.items || []).length) p.push("Secret volume restricts items: key renames break the file path");
    return p;
  }],

  ["gateway: downstream URLs reach embed-service and retrieval-service on their ports", (ctx, F) => {
    const w = ctx.workloads.gateway;
    const p = [];
    for (const [target, prop] of [["embed-service", "sightline.gateway.embed.url"], ["retrieval-service", "sightline.gateway.retrieval.url"]]) {
      const url = effective(F, w, "gateway", prop);
      let u;
      try { u = new URL(url); } catch { p.push(`${prop}: not a URL: ${url}`); continue; }
      const host = u.hostname.split(".");
      const svcName = host[0];
      const ns = host[1] || NAMESPACE;
      if (svcName !== target || ns !== NAMESPACE) { p.push(`${prop}=${url} does not name ${target} in ${NAMESPACE}`); continue; }
      const port = u.port ? Number(u.port) : 80;
      if (ctx.mode === "serverless") {
        if (!ctx.docs.some((d) => KSVC(d) && d.metadata.name === target)) p.push(`${prop}: no Knative Service ${target}`);
        if (port !== 80) p.push(`${prop}: Knative services are addressed on port 80`);
        if (u.hostname !== `${target}.${NAMESPACE}.svc.cluster.local`) p.push(`${prop}: use the cluster-local address ${target}.${NAMESPACE}.svc.cluster.local`);
      } else {
        const svc = ctx.docs.find((d) => d.kind === "Service" && d.apiVersion === "v1" && d.metadata.name === target);
        if (!svc) { p.push(`${prop}: no Service ${target}`); continue; }
        const sp = (svc.spec.ports || []).find((x) => x.port === port);
        if (!sp) { p.push(`${prop}: Service ${target} has no port ${port}`); continue; }
        const tw = ctx.workloads[target];
        const tport = typeof sp.targetPort === "string" ? tw?.container?.ports?.find((x) => x.name === sp.targetPort)?.containerPort : sp.targetPort ?? sp.port;
        if (tport !== F.modules[target].port) p.push(`${prop}: Service ${target}:${port} targets ${sp.targetPort}, not ${target}'s port ${F.modules[target].port}`);
        const sel = svc.spec.selector || {};
        if (!tw || !Object.entries(sel).every(([k, v]) => tw.podMeta.labels?.[k] === v)) p.push(`Service ${target} does not select ${target}'s pods`);
      }
    }
    return p;
  }],

  ["embed-service: model dir is where the image puts the model; device valid; GPU settings complete and consistent", (ctx, F) => {
    const w = ctx.workloads["embed-service"];
    const p = [];
    const dir = envValue(w, "SIGHTLINE_EMBED_MODEL_DIR");
    const device = effective(F, w, "embed-service", "sightline.embed.runtime.device");
    const variant = device === "gpu" ? "gpu" : "jvm";
    const df = F.modules["embed-service"].dockerfiles[variant];
    if (!dir) p.push("SIGHTLINE_EMBED_MODEL_DIR not set");
    else if (df) {
      const copies = parseDockerfile(df.text).filter((i) => i.op === "COPY").map((i) => i.args.split(/\s+/).filter((a) => !a.startsWith("--")));
      const modelCopy = copies.find((a) => a[0].replace(/\/$/, "") === "models/tiny-clip");
      const onVolume = underMount(dir, mountsOf(w), (m) => !m.volume?.emptyDir);
      if (!onVolume && (!modelCopy || modelCopy[modelCopy.length - 1].replace(/\/$/, "") !== dir.replace(/\/$/, ""))) p.push(`SIGHTLINE_EMBED_MODEL_DIR=${dir} is neither a mounted volume nor where ${df.path} copies models/tiny-clip`);
    }
    const limits = w.container?.resources?.limits || {};
    const gpuRes = limits["nvidia.com/gpu"];
    if (device === "gpu") {
      if (String(gpuRes) !== "1") p.push("device=gpu but no nvidia.com/gpu: 1 limit");
      if (!w.podSpec.nodeSelector || Object.keys(w.podSpec.nodeSelector).length === 0) p.push("device=gpu but no nodeSelector");
      if (!(w.podSpec.tolerations || []).some((t) => t.key === "nvidia.com/gpu")) p.push("device=gpu but no toleration for nvidia.com/gpu");
      if (!/-gpu$/.test(w.container.image)) p.push("device=gpu but not the -gpu image");
    } else {
      if (gpuRes !== undefined) p.push(`nvidia.com/gpu requested with device=${device}`);
      if (/-gpu$/.test(w.container?.image || "")) p.push(`GPU image with device=${device}`);
    }
    return p;
  }],

  ["embed-service: ONNX Runtime intra-op threads between 1 and the CPU limit (it sizes itself from the host's cores)", (ctx, F) => {
    const w = ctx.workloads["embed-service"];
    const t = Number(effective(F, w, "embed-service", "sightline.embed.runtime.intra-op-threads"));
    const limit = cores(w.container?.resources?.limits?.cpu);
    if (!(t >= 1)) return [`intra-op-threads=${t}: 0 means one thread per HOST core, oversubscribing the pod's CPU limit`];
    if (t > Math.ceil(limit)) return [`intra-op-threads=${t} exceeds the CPU limit ${limit}`];
    return [];
  }],

  ["autoscaling: Knative targets match the batcher (embed) and the JDBC pool (retrieval); gateway never cold; HPAs and PDBs for Deployments", (ctx, F) => {
    const p = [];
    const ws = ctx.workloads;
    const maxBatch = Math.max(Number(effective(F, ws["embed-service"], "embed-service", "sightline.embed.text.max-batch-size")), Number(effective(F, ws["embed-service"], "embed-service", "sightline.embed.image.max-batch-size")));
    const pool = Number(effective(F, ws["retrieval-service"], "retrieval-service", "quarkus.datasource.jdbc.max-size"));
    if (ctx.mode === "serverless") {
      for (const [s, w] of Object.entries(ws)) {
        const a = annotations(w);
        if (a["autoscaling.knative.dev/metric"] !== "concurrency") p.push(`${s}: autoscaling metric should be concurrency`);
        if (!a["autoscaling.knative.dev/max-scale"]) p.push(`${s}: no max-scale`);
        if (a["autoscaling.knative.dev/target"] === undefined) p.push(`${s}: no autoscaling.knative.dev/target`);
      }
      const g = annotations(ws.gateway);
      if (!(Number(g["autoscaling.knative.dev/min-scale"]) >= 1)) p.push("gateway: min-scale must be >= 1 (the public entry must not be cold)");
      const e = annotations(ws["embed-service"]);
      const eTarget = Number(e["autoscaling.knative.dev/target"]);
      const eCc = ws["embed-service"].podSpec.containerConcurrency;
      if (eTarget !== maxBatch) p.push(`embed-service: target concurrency ${eTarget} != batcher max-batch-size ${maxBatch}`);
      if (!(eCc === 0 || eCc >= eTarget)) p.push(`embed-service: containerConcurrency ${eCc} below target ${eTarget}`);
      if (Number(e["autoscaling.knative.dev/min-scale"] ?? 0) !== 0) p.push("embed-service: expected scale to zero (min-scale 0)");
      const r = annotations(ws["retrieval-service"]);
      const rTarget = Number(r["autoscaling.knative.dev/target"]);
      const rCc = ws["retrieval-service"].podSpec.containerConcurrency;
      if (!(rTarget <= pool)) p.push(`retrieval-service: target ${rTarget} exceeds the JDBC pool ${pool}`);
      if (!(rCc >= 1 && rCc <= pool)) p.push(`retrieval-service: containerConcurrency ${rCc} should be 1..JDBC pool (${pool}): each request holds a connection`);
    } else {
      for (const [s, w] of Object.entries(ws)) {
        const hpa = ctx.docs.filter((d) => d.kind === "HorizontalPodAutoscaler" && d.spec.scaleTargetRef?.kind === "Deployment" && d.spec.scaleTargetRef?.name === s);
        if (hpa.length !== 1) { p.push(`${s}: ${hpa.length} HorizontalPodAutoscalers, expected 1`); continue; }
        if (hpa[0].apiVersion !== "autoscaling/v2") p.push(`${s}: HPA is ${hpa[0].apiVersion}, expected autoscaling/v2`);
        if (!(hpa[0].spec.minReplicas >= (s === "embed-service" ? 1 : 2))) p.push(`${s}: HPA minReplicas ${hpa[0].spec.minReplicas} too low`);
        if (!(hpa[0].spec.maxReplicas >= hpa[0].spec.minReplicas)) p.push(`${s}: HPA maxReplicas < minReplicas`);
        if (!(hpa[0].spec.metrics || []).some((m) => m.type === "Resource" && m.resource?.name === "cpu")) p.push(`${s}: HPA has no CPU metric (needs the cpu request set)`);
        if (w.doc.spec.replicas !== undefined) p.push(`${s}: Deployment sets replicas while an HPA manages it (apply would fight the HPA)`);
        const pdb = ctx.docs.filter((d) => d.kind === "PodDisruptionBudget" && Object.entries(d.spec.selector?.matchLabels || {}).every(([k, v]) => w.podMeta.labels?.[k] === v));
        if (pdb.length !== 1) p.push(`${s}: ${pdb.length} PodDisruptionBudgets select its pods, expected 1`);
      }
    }
    return p;
  }],

  ["PostgreSQL: one CloudNativePG Cluster (pgvector image, CREATE EXTENSION vector, S3 backups + ScheduledBackup) agreeing with retrieval-service", (ctx, F) => {
    const p = [];
    const clusters = ctx.docs.filter((d) => d.apiVersion === "postgresql.cnpg.io/v1" && d.kind === "Cluster");
    if (clusters.length !== 1) return [`${clusters.length} CloudNativePG Clusters, expected 1`];
    const c = clusters[0];
    const name = c.metadata.name;
    if (!/^ghcr\.io\/cloudnative-pg\/postgresql:1[6-9](\.\d+)?(-bookworm|-bullseye)?(@sha256:[0-9a-f]{64})?$/.test(c.spec.imageName || "")) p.push(`imageName ${c.spec.imageName}: expected CloudNativePG's system image ghcr.io/cloudnative-pg/postgresql:<16+>[.<minor>][-<debian>] (pgvector + Barman Cloud)`);
    const initdb = c.spec.bootstrap?.initdb || {};
    if (!(initdb.postInitApplicationSQL || []).some((s) => /^\s*create\s+extension\s+if\s+not\s+exists\s+vector\s*;?\s*$/i.test(s))) p.push("bootstrap.initdb.postInitApplicationSQL lacks CREATE EXTENSION IF NOT EXISTS vector");
    const bos = c.spec.backup?.barmanObjectStore;
    if (!bos?.destinationPath?.startsWith("s3://")) p.push("backup.barmanObjectStore.destinationPath is not an s3:// URL");
    if (!bos?.s3Credentials) p.push("backup.barmanObjectStore.s3Credentials missing");
    if (!c.spec.backup?.retentionPolicy) p.push("backup.retentionPolicy missing");
    const sb = ctx.docs.filter((d) => d.apiVersion === "postgresql.cnpg.io/v1" && d.kind === "ScheduledBackup" && d.spec.cluster?.name === name);
    if (sb.length !== 1) p.push(`${sb.length} ScheduledBackups for ${name}, expected 1`);
    else if ((sb[0].spec.method || "barmanObjectStore") !== "barmanObjectStore") p.push(`ScheduledBackup method ${sb[0].spec.method}`);
    if (!(c.spec.instances >= 2)) p.push("instances < 2: no standby to fail over to");
    // retrieval-service <-> Cluster
    const w = ctx.workloads["retrieval-service"];
    const url = effective(F, w, "retrieval-service", "quarkus.datasource.jdbc.url") || envValue(w, "SIGHTLINE_PG_JDBC_URL");
    const jdbc = envValue(w, "SIGHTLINE_PG_JDBC_URL") || url;
    const m = /^jdbc:postgresql:\/\/([^:/]+)(?::(\d+))?\/([^?]+)/.exec(jdbc || "");
    if (!m) p.push(`retrieval-service JDBC URL ${jdbc} not understood`);
    else {
      if (m[1] !== `${name}-rw` && m[1] !== `${name}-rw.${NAMESPACE}.svc` && m[1] !== `${name}-rw.${NAMESPACE}.svc.cluster.local`) p.push(`JDBC host ${m[1]} is not the Cluster's read-write Service ${name}-rw`);
      if ((m[2] || "5432") !== "5432") p.push(`JDBC port ${m[2]}`);
      if (m[3] !== initdb.database) p.push(`JDBC database ${m[3]} != initdb.database ${initdb.database}`);
    }
    // Reads on the standbys: the Cluster's read-only Service, same port and database.
    const ro = envValue(w, "SIGHTLINE_RETRIEVAL_REPLICA_JDBC_URL");
    if (!ro) p.push("retrieval-service has no SIGHTLINE_RETRIEVAL_REPLICA_JDBC_URL: searches would all go to the primary");
    else {
      const r = /^jdbc:postgresql:\/\/([^:/]+)(?::(\d+))?\/([^?]+)/.exec(ro);
      if (!r) p.push(`retrieval-service replica JDBC URL ${ro} not understood`);
      else {
        if (![`${name}-ro`, `${name}-ro.${NAMESPACE}.svc`, `${name}-ro.${NAMESPACE}.svc.cluster.local`].includes(r[1])) p.push(`replica JDBC host ${r[1]} is not the Cluster's read-only Service ${name}-ro`);
        if ((r[2] || "5432") !== "5432") p.push(`replica JDBC port ${r[2]}`);
        if (r[3] !== initdb.database) p.push(`replica JDBC database ${r[3]} != initdb.database ${initdb.database}`);
      }
    }
    const secret = initdb.secret?.name;
    const tmpl = ctx.secrets.get(secret);
    if (!tmpl) p.push(`initdb.secret ${secret} has no template`);
    else {
      if (tmpl.type !== "kubernetes.io/basic-auth") p.push(`${secret}: type must be kubernetes.io/basic-auth for CloudNativePG`);
      if (tmpl.stringData?.username !== initdb.owner) p.push(`${secret}: username ${tmpl.stringData?.username} != initdb.owner ${initdb.owner}`);
    }
    for (const [envName, key] of [["SIGHTLINE_PG_USER", "username"], ["SIGHTLINE_PG_PASSWORD", "password"]]) {
      const e = w.env.get(envName);
      if (!e || e.secret !== secret || e.key !== key) p.push(`retrieval-service ${envName} must come from Secret ${secret} key ${key}`);
    }
    // connections: max pods x pool (+ reserve for superuser / replication / operator) <= max_connections
    const pool = Number(effective(F, w, "retrieval-service", "quarkus.datasource.jdbc.max-size"));
    const maxPods = ctx.mode === "serverless"
      ? Number(annotations(w)["autoscaling.knative.dev/max-scale"])
      : ctx.docs.find((d) => d.kind === "HorizontalPodAutoscaler" && d.spec.scaleTargetRef?.name === "retrieval-service")?.spec.maxReplicas;
    const maxConn = Number(c.spec.postgresql?.parameters?.max_connections ?? 100);
    if (!(maxPods * pool + 10 <= maxConn)) p.push(`max_connections ${maxConn} < ${maxPods} retrieval pods x ${pool} pool + 10 reserved`);
    // The -ro Service may send every replica connection to one standby (same max_connections as the primary).
    const replicaPool = Number(envValue(w, "SIGHTLINE_RETRIEVAL_REPLICA_MAX_CONNECTIONS") ?? 16);
    if (!(maxPods * replicaPool + 10 <= maxConn)) p.push(`max_connections ${maxConn} < ${maxPods} retrieval pods x ${replicaPool} replica connections + 10 reserved`);
    return p;
  }],

  ["only the gateway is reachable from outside: no LoadBalancer/NodePort, Ingresses route to the gateway only, internal Knative services cluster-local", (ctx) => {
    const p = [];
    for (const d of ctx.docs.filter((d) => d.kind === "Service" && d.apiVersion === "v1")) if (["LoadBalancer", "NodePort"].includes(d.spec.type)) p.push(`Service ${d.metadata.name} is ${d.spec.type}`);
    for (const ing of ctx.docs.filter((d) => d.kind === "Ingress")) {
      for (const r of ing.spec.rules || []) for (const path of r.http?.paths || []) if (path.backend?.service?.name !== "gateway") p.push(`Ingress ${ing.metadata.name} routes to ${path.backend?.service?.name}`);
      if (ing.spec.defaultBackend && ing.spec.defaultBackend.service?.name !== "gateway") p.push(`Ingress ${ing.metadata.name} default backend`);
    }
    for (const d of ctx.docs.filter(KSVC)) {
      const local = d.metadata.labels?.["networking.knative.dev/visibility"] === "cluster-local";
      if (d.metadata.name === "gateway" && local) p.push("gateway Knative Service is cluster-local: nothing public");
      if (d.metadata.name !== "gateway" && !local) p.push(`Knative Service ${d.metadata.name} is public (label networking.knative.dev/visibility: cluster-local missing)`);
    }
    if (ctx.mode === "classic" && !ctx.docs.some((d) => d.kind === "Ingress")) p.push("no Ingress for the gateway");
    return p;
  }],

  ["hygiene: no StatefulSet, no Secret objects, all in namespace sightline, no host namespaces/paths, service account tokens not mounted", (ctx) => {
    const p = [];
    for (const d of ctx.docs) {
      if (d.kind === "StatefulSet") p.push(`StatefulSet ${d.metadata.name}: PostgreSQL is CloudNativePG's job`);
      if (d.kind === "Secret") p.push(`Secret ${d.metadata.name} rendered: secrets are created from k8s/secrets templates, never committed values`);
      if (d.kind === "Namespace") { if (d.metadata.name !== NAMESPACE) p.push(`Namespace ${d.metadata.name}`); }
      else if (d.metadata.namespace !== NAMESPACE) p.push(`${d.kind} ${d.metadata.name} in namespace ${d.metadata.namespace}`);
    }
    for (const [s, w] of Object.entries(ctx.workloads)) {
      const ps = w.podSpec || {};
      for (const k of ["hostNetwork", "hostPID", "hostIPC"]) if (ps[k]) p.push(`${s}: ${k}`);
      for (const v of ps.volumes || []) if (v.hostPath) p.push(`${s}: hostPath volume ${v.name}`);
      const sa = ctx.docs.find((d) => d.kind === "ServiceAccount" && d.metadata.name === s);
      if (ps.automountServiceAccountToken !== false && sa?.automountServiceAccountToken !== false) p.push(`${s}: service account token mounted (no Kubernetes API use)`);
    }
    return p;
  }],

  ["Knative Services use only fields Knative Serving accepts (feature flags they need are listed)", (ctx) => knativeFields(ctx).problems],

  ["NetworkPolicies: gateway reachable from anywhere; embed only from the gateway and retrieval-service (migrations), retrieval only from the gateway (+ Knative data path, Prometheus on the HTTP port); PostgreSQL only from retrieval-service, its instances and the operator", (ctx, F) => netpolProblems(ctx, F)],
];

// Fields of the pod template Knative Serving accepts (knative.dev/serving pkg/apis/serving/fieldmask.go), and
// the config-features flag that unlocks the gated ones.
const KN_POD = new Set(["serviceAccountName", "containers", "volumes", "imagePullSecrets", "enableServiceLinks", "containerConcurrency", "timeoutSeconds", "responseStartTimeoutSeconds", "idleTimeoutSeconds"]);
const KN_POD_GATED = { affinity: "kubernetes.podspec-affinity", hostAliases: "kubernetes.podspec-hostaliases", nodeSelector: "kubernetes.podspec-nodeselector", runtimeClassName: "kubernetes.podspec-runtimeclassname", tolerations: "kubernetes.podspec-tolerations", securityContext: "kubernetes.podspec-securitycontext", topologySpreadConstraints: "kubernetes.podspec-topologyspreadconstraints", priorityClassName: "kubernetes.podspec-priorityclassname", schedulerName: "kubernetes.podspec-schedulername", initContainers: "kubernetes.podspec-init-containers", dnsPolicy: "kubernetes.podspec-dnspolicy", dnsConfig: "kubernetes.podspec-dnsconfig" };
const KN_CONTAINER = new Set(["name", "args", "command", "env", "workingDir", "envFrom", "image", "imagePullPolicy", "livenessProbe", "ports", "readinessProbe", "resources", "securityContext", "terminationMessagePath", "terminationMessagePolicy", "volumeMounts"]);
const KN_SECURITY = new Set(["runAsUser", "runAsNonRoot", "readOnlyRootFilesystem", "allowPrivilegeEscalation", "capabilities", "seccompProfile"]);
const KN_VOLUME = { secret: null, configMap: null, projected: null, emptyDir: "kubernetes.podspec-emptydir [enabled by default]", persistentVolumeClaim: "kubernetes.podspec-persistent-volume-claim" };

export function knativeFields(ctx) {
  const problems = [];
  const features = new Map(); // config-features flag -> what needs it
  const need = (flag, what) => { if (!features.has(flag)) features.set(flag, new Set()); features.get(flag).add(what); };
  for (const d of ctx.docs.filter(KSVC)) {
    const n = d.metadata.name;
    const spec = d.spec.template?.spec || {};
    for (const k of Object.keys(spec)) {
      if (KN_POD.has(k)) continue;
      if (KN_POD_GATED[k]) need(KN_POD_GATED[k], `${n} ${k}`);
      else problems.push(`${n}: pod field ${k} is not accepted by Knative Serving`);
    }
    for (const c of spec.containers || []) {
      for (const k of Object.keys(c)) if (!KN_CONTAINER.has(k)) problems.push(`${n}/${c.name}: container field ${k} is not accepted by Knative Serving`);
      for (const k of Object.keys(c.securityContext || {})) {
        if (!KN_SECURITY.has(k)) { if (k === "runAsGroup") need("kubernetes.podspec-securitycontext", `${n} runAsGroup`); else problems.push(`${n}/${c.name}: securityContext.${k} is not accepted by Knative Serving`); }
      }
      if (c.securityContext?.capabilities?.add?.length) need("kubernetes.containerspec-addcapabilities", n);
      for (const vm of c.volumeMounts || []) for (const k of Object.keys(vm)) if (!["name", "readOnly", "mountPath", "subPath"].includes(k)) problems.push(`${n}: volumeMount field ${k} not accepted`);
      if ((c.ports || []).length > 1) problems.push(`${n}: Knative allows one container port`);
    }
    for (const v of spec.volumes || []) for (const k of Object.keys(v).filter((k) => k !== "name")) {
      if (!(k in KN_VOLUME)) problems.push(`${n}: volume type ${k} is not accepted by Knative Serving`);
      else if (KN_VOLUME[k]) need(KN_VOLUME[k], `${n} ${k}`);
    }
  }
  return { problems, features: [...features].sort().map(([f, w]) => `${f} (${[...w].join(", ")})`) };
}

// Reachability questions asked of the NetworkPolicies: [source, destination, port, expected].
function netpolCases(ctx, F) {
  const ns = (name) => ({ ns: name, nsLabels: { "kubernetes.io/metadata.name": name } });
  const pod = (w) => ({ ...ns(NAMESPACE), labels: w?.podMeta.labels || {} });
  const ws = ctx.workloads;
  const P = { gateway: pod(ws.gateway), embed: pod(ws["embed-service"]), retrieval: pod(ws["retrieval-service"]) };
  const db = { ...ns(NAMESPACE), labels: { "cnpg.io/cluster": ctx.docs.find((d) => d.kind === "Cluster")?.metadata.name || "?", "cnpg.io/instanceRole": "primary" } };
  const other = { ...ns(NAMESPACE), labels: { "app.kubernetes.io/name": "something-else" } };
  const foreign = { ...ns("default"), labels: { app: "anything" } };
  const ingressCtl = { ...ns("ingress-nginx"), labels: { "app.kubernetes.io/name": "ingress-nginx" } };
  const operator = { ...ns("cnpg-system"), labels: { "app.kubernetes.io/name": "cloudnative-pg" } };
  const otherInOperatorNs = { ...ns("cnpg-system"), labels: { app: "not-the-operator" } };
  const activator = { ...ns("knative-serving"), labels: { app: "activator" } };
  const kourier = { ...ns("kourier-system"), labels: { app: "3scale-kourier-gateway" } };
  const prometheus = { ...ns("monitoring"), labels: { "app.kubernetes.io/name": "prometheus" } };
  const otherInMonitoring = { ...ns("monitoring"), labels: { "app.kubernetes.io/name": "grafana" } };
  const port = (s) => (ctx.mode === "serverless" ? 8012 : F.modules[s].port);
  const c = [];
  const add = (what, src, dst, p, want) => c.push({ what, src, dst, port: p, want });
  // the public entry
  add("Ingress controller -> gateway", ingressCtl, P.gateway, port("gateway"), true);
  add("any pod elsewhere -> gateway", foreign, P.gateway, port("gateway"), true);
  // internal services
  for (const [s, dst] of [["embed-service", P.embed], ["retrieval-service", P.retrieval]]) {
    add(`gateway -> ${s}`, P.gateway, dst, port(s), true);
    for (const pp of [F.modules[s].port, 8012, 8013]) {
      add(`other pod in ${NAMESPACE} -> ${s}:${pp}`, other, dst, pp, false);
      add(`pod in another namespace -> ${s}:${pp}`, foreign, dst, pp, false);
      add(`Ingress controller -> ${s}:${pp}`, ingressCtl, dst, pp, false);
    }
    // /q/metrics is open without the token; Prometheus reaches it on the HTTP port (the pod's own, not Knative's)
    add(`Prometheus -> ${s}:${F.modules[s].port} (metrics)`, prometheus, dst, F.modules[s].port, true);
    add(`other pod in monitoring -> ${s}:${F.modules[s].port}`, otherInMonitoring, dst, F.modules[s].port, false);
    if (ctx.mode === "serverless") {
      add(`Knative activator -> ${s}`, activator, dst, 8012, true);
      add(`networking layer (kourier) -> ${s}`, kourier, dst, 8012, true);
    }
  }
  add("embed-service -> retrieval-service", P.embed, P.retrieval, port("retrieval-service"), false);
  // retrieval-service re-embeds collections (migrations) with embed-service.
  add("retrieval-service -> embed-service", P.retrieval, P.embed, port("embed-service"), true);
  // PostgreSQL
  add("retrieval-service -> PostgreSQL:5432", P.retrieval, db, 5432, true);
  add("CloudNativePG instance -> PostgreSQL:5432 (replication)", db, db, 5432, true);
  add("CloudNativePG operator -> instance manager:8000", operator, db, 8000, true);
  for (const [what, src] of [["gateway", P.gateway], ["embed-service", P.embed], [`other pod in ${NAMESPACE}`, other], ["pod in another namespace", foreign], ["other pod in cnpg-system", otherInOperatorNs], ["Knative activator", activator], ["Prometheus", prometheus]]) {
    add(`${what} -> PostgreSQL:5432`, src, db, 5432, false);
    add(`${what} -> instance manager:8000`, src, db, 8000, false);
  }
  return c;
}

function netpolProblems(ctx, F) {
  const policies = ctx.docs.filter((d) => d.kind === "NetworkPolicy");
  const p = [];
  if (!policies.some((d) => Object.keys(d.spec.podSelector || {}).length === 0 && (d.spec.policyTypes || []).includes("Ingress") && !(d.spec.ingress || []).length)) p.push("no default-deny ingress policy for the namespace");
  for (const k of netpolCases(ctx, F)) {
    const got = ingressAllowed(policies, k.src, k.dst, k.port);
    if (got !== k.want) p.push(`${k.what}: ${got ? "allowed" : "denied"}, expected ${k.want ? "allowed" : "denied"}`);
  }
  return p;
}

export const netpolCaseCount = (ctx, F) => netpolCases(ctx, F).length;

/** Problems with the secret templates themselves (applies once, not per overlay). */
export function secretTemplateProblems(templates) {
  const p = [];
  const sensitive = /pass|secret|key|token|crt|api-keys/i;
  for (const t of templates) {
    if (t.kind !== "Secret" || t.apiVersion !== "v1") { p.push(`${t.__file}: not a v1 Secret`); continue; }
    if (t.data && Object.keys(t.data).length) p.push(`${t.__file}: use stringData with placeholders, not data`);
    if (t.metadata.namespace !== NAMESPACE) p.push(`${t.__file}: namespace ${t.metadata.namespace}`);
    for (const [k, v] of Object.entries(t.stringData || {})) {
      if (sensitive.test(k) && !String(v).includes("REPLACE_ME")) p.push(`${t.__file}: ${k} holds something other than a REPLACE_ME placeholder`);
      if (/-----BEGIN|sk-sl-[A-Za-z0-9]{20,}|sha256:[0-9a-f]{64}/.test(String(v))) p.push(`${t.__file}: ${k} looks like real key material`);
    }
  }
  return p;
}
