// What the services themselves say about their configuration: ports and keys from application.properties,
// the @ConfigMapping interfaces (GatewayConfig, EmbedConfig, RetrievalConfig), the Quarkus runtime keys of
// the extensions each service packages, the project version, and the Dockerfiles.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { readZipEntry } from "./zip.mjs";

export const MODULES = {
  gateway: { mapping: "gateway/src/main/java/dev/sightline/gateway/config/GatewayConfig.java" },
  "embed-service": { mapping: "embed-service/src/main/java/dev/sightline/embed/config/EmbedConfig.java" },
  "retrieval-service": { mapping: "retrieval-service/src/main/java/dev/sightline/retrieval/config/RetrievalConfig.java" },
};

/** The prod-profile entries of a module's application.properties (profile-prefixed keys are left out). */
export function readProperties(repo, module) {
  const text = readFileSync(join(repo, module, "src/main/resources/application.properties"), "utf8");
  const props = new Map();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#") || line.startsWith("!")) continue;
    const i = line.search(/[=:]/);
    if (i < 0) continue;
    const key = line.slice(0, i).trim();
    if (key.startsWith("%")) continue;
    props.set(key, line.slice(i + 1).trim());
  }
  return props;
}

/** Environment variable names an application.properties reads through ${NAME} / ${NAME:default} expressions. */
export function expressionEnvNames(props) {
  const names = new Set();
  for (const v of props.values()) for (const m of v.matchAll(/\$\{([A-Z][A-Z0-9_]*)(?::|\})/g)) names.add(m[1]);
  return names;
}

/** The value of a property with ${NAME:default} resolved to its default. */
export function defaultOf(props, key) {
  const v = props.get(key);
  if (v === undefined) return undefined;
  return v.replace(/\$\{[^:}]+:([^}]*)\}/g, "$1");
}

const kebab = (s) => s.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

/**
 * Every property a @ConfigMapping interface defines, with its Java type, default and (for enums) values.
 * A small parser for the interfaces' plain shape: nested interfaces as groups, one method per property.
 */
export function parseConfigMapping(javaSource) {
  const prefix = /@ConfigMapping\(prefix\s*=\s*"([^"]+)"\)/.exec(javaSource)?.[1];
  if (!prefix) throw new Error("no @ConfigMapping prefix");
  const src = javaSource.replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  // Blocks of interfaces and enums, by name.
  const blocks = new Map();
  const enums = new Map();
  const re = /\b(interface|enum)\s+(\w+)[^{]*\{/g;
  let m;
  while ((m = re.exec(src))) {
    let depth = 1, i = re.lastIndex;
    while (depth > 0 && i < src.length) { if (src[i] === "{") depth++; else if (src[i] === "}") depth--; i++; }
    const body = src.slice(re.lastIndex, i - 1);
    if (m[1] === "enum") enums.set(m[2], body.split(/[,;]/).map((s) => s.trim()).filter((s) => /^\w+$/.test(s)));
    else blocks.set(m[2], body);
  }
  const topName = /interface\s+(\w+)/.exec(src.slice(src.indexOf("@ConfigMapping")))[1];
  const props = [];
  const walk = (ifaceName, path) => {
    const body = blocks.get(ifaceName);
    // only this interface's own level: drop nested type bodies
    let own = "", depth = 0;
    for (const ch of body) { if (ch === "{") depth++; if (depth === 0) own += ch; if (ch === "}") depth--; }
    const methodRe = /((?:@\w+(?:\([^)]*\))?\s*)*)([\w.<>, ]+?)\s+(\w+)\(\)\s*;/g;
    let mm;
    while ((mm = methodRe.exec(own))) {
      const [, annotations, type, name] = mm;
      const t = type.trim().replace(/^(public|static|default)\s+/, "");
      const key = `${path}.${kebab(name)}`;
      const def = /@WithDefault\("([^"]*)"\)/.exec(annotations)?.[1];
      if (blocks.has(t)) walk(t, key);
      else props.push({ key, type: t, default: def, values: enums.get(t) });
    }
  };
  walk(topName, prefix);
  return { prefix, props };
}

/** MicroProfile Config's environment variable form of a property name. */
export const envNameOf = (property) => property.replace(/[^A-Za-z0-9]/g, "_").toUpperCase();

/** The project version from the root pom (image tags follow it). */
export function projectVersion(repo) {
  const pom = readFileSync(join(repo, "pom.xml"), "utf8");
  const afterParent = pom.replace(/<parent>[\s\S]*?<\/parent>/, "");
  return /<version>([^<]+)<\/version>/.exec(afterParent)[1];
}

/**
 * Quarkus runtime configuration keys known to a module, from the quarkus-config-model.json files inside the
 * extension jars the module packages (target/quarkus-app/lib/main), else inside the local Maven repository
 * at the project's Quarkus version. Returns null when neither is available.
 */
export function quarkusKeys(repo, module) {
  let jars = [];
  let source;
  const libDir = join(repo, module, "target/quarkus-app/lib/main");
  if (existsSync(libDir)) {
    jars = readdirSync(libDir).filter((f) => f.startsWith("io.quarkus.") && f.endsWith(".jar")).map((f) => join(libDir, f));
    source = `${module}/target/quarkus-app/lib/main`;
  }
  if (jars.length === 0) {
    const pom = readFileSync(join(repo, "pom.xml"), "utf8");
    const version = /<quarkus\.platform\.version>([^<]+)</.exec(pom)?.[1];
    const m2 = join(process.env.MAVEN_REPO || join(homedir(), ".m2/repository"), "io/quarkus");
    if (version && existsSync(m2)) {
      for (const a of readdirSync(m2)) {
        if (!a.startsWith("quarkus-") || a.endsWith("-deployment") || a.endsWith("-spi")) continue;
        const jar = join(m2, a, version, `${a}-${version}.jar`);
        if (existsSync(jar)) jars.push(jar);
      }
      source = `~/.m2 io.quarkus:*:${version} (all extensions there, not only ${module}'s)`;
    }
  }
  if (jars.length === 0) return null;
  const keys = new Map(); // env name -> {property, phase}
  const patterns = []; // keys with map/named segments: {regex, property, phase}
  for (const jar of jars) {
    let json;
    try { json = readZipEntry(jar, "META-INF/quarkus-config-doc/quarkus-config-model.json"); } catch { continue; }
    if (!json) continue;
    const visit = (o) => {
      if (Array.isArray(o)) return o.forEach(visit);
      if (!o || typeof o !== "object") return;
      if (o.path && typeof o.path === "object" && o.path.property) {
        const property = o.path.property;
        const entry = { property, phase: o.phase };
        if (property.includes('"')) {
          // named segment, e.g. quarkus.datasource."datasource-name".jdbc.url
          const rx = "^" + envNameOf(property.replace(/"[^"]*"/g, "\u0000")).replace(/\u0000/g, "[A-Z0-9_]+") + "$";
          patterns.push({ regex: new RegExp(rx), ...entry });
        }
        keys.set(o.path.environmentVariable || envNameOf(property.replace(/"[^"]*"\./g, "")), entry);
        // default (unnamed) datasource etc.: the named segment dropped
        if (property.includes('"')) keys.set(envNameOf(property.replace(/\."[^"]*"/g, "")), entry);
      }
      Object.values(o).forEach(visit);
    };
    visit(JSON.parse(json.toString("utf8")));
  }
  return { keys, patterns, source, jars: jars.length };
}

/** Instructions of a Dockerfile (continuation lines joined, comments dropped). */
export function parseDockerfile(text) {
  const out = [];
  let cur = "";
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    if (!cur && /^\s*#/.test(line)) continue;
    if (cur && /^\s*#/.test(line)) continue;
    if (line.endsWith("\\")) { cur += line.slice(0, -1) + " "; continue; }
    cur += line;
    if (cur.trim()) {
      const m = /^\s*(\w+)\s+([\s\S]*)$/.exec(cur.trim());
      if (m) out.push({ op: m[1].toUpperCase(), args: m[2].trim() });
    }
    cur = "";
  }
  return out;
}
