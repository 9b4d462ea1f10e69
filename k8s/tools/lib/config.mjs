// What the services themselves say about their configuration: ports and keys from application.properties,
// the @ConfigMapping interfaces on each service's class path (its own, e.g. GatewayConfig, and those of the
// project modules it depends on, e.g. common's InternalConfig), the Quarkus runtime keys of the extensions each
// service packages, the project version, and the Dockerfiles.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, relative } from "node:path";
import { readZipEntry } from "./zip.mjs";

/** The deployed services (Maven modules of the same name). */
export const MODULES = { gateway: {}, "embed-service": {}, "retrieval-service": {} };

const GROUP = "dev.sightline";
const tag = (xml, name) => new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(xml)?.[1];
/** The pom without the parts whose <dependency> elements are not the module's own dependencies. */
const ownPart = (pom) => pom.replace(/<!--[\s\S]*?-->/g, "").replace(/<parent>[\s\S]*?<\/parent>/, "")
  .replace(/<dependencyManagement>[\s\S]*?<\/dependencyManagement>/g, "").replace(/<build>[\s\S]*?<\/build>/g, "")
  .replace(/<profiles>[\s\S]*?<\/profiles>/g, "").replace(/<exclusions>[\s\S]*?<\/exclusions>/g, "");

/**
 * The project modules (directories) on a module's run-time class path: the module itself and, transitively, the
 * dev.sightline modules it depends on with a scope that is packaged (not test, not provided). Scopes left out
 * in a module's pom come from the root pom's dependencyManagement, as Maven does.
 */
export function projectClasspath(repo, module) {
  const root = readFileSync(join(repo, "pom.xml"), "utf8");
  const dirs = [...ownPart(root).matchAll(/<module>\s*([^<]+?)\s*<\/module>/g)].map((m) => m[1]);
  const dirOf = new Map(dirs.map((d) => [tag(ownPart(readFileSync(join(repo, d, "pom.xml"), "utf8")), "artifactId"), d]));
  const managed = new Map();
  for (const dm of root.matchAll(/<dependencyManagement>([\s\S]*?)<\/dependencyManagement>/g)) {
    for (const [dep] of dm[1].matchAll(/<dependency>[\s\S]*?<\/dependency>/g)) if (tag(dep, "groupId") === GROUP) managed.set(tag(dep, "artifactId"), tag(dep, "scope"));
  }
  const out = [];
  const visit = (dir) => {
    if (out.includes(dir)) return;
    out.push(dir);
    const pom = ownPart(readFileSync(join(repo, dir, "pom.xml"), "utf8"));
    for (const [dep] of pom.matchAll(/<dependency>[\s\S]*?<\/dependency>/g)) {
      const group = tag(dep, "groupId");
      if (group !== GROUP && group !== "${project.groupId}") continue;
      const artifact = tag(dep, "artifactId");
      const scope = tag(dep, "scope") || managed.get(artifact) || "compile";
      if (scope === "test" || scope === "provided" || !dirOf.has(artifact)) continue;
      visit(dirOf.get(artifact));
    }
  };
  visit(module);
  return out;
}

/** The @ConfigMapping interfaces of a module's run-time class path: [{path, prefix, props}], path relative to repo. */
export function configMappings(repo, module) {
  const found = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir)) {
      const f = join(dir, e);
      if (statSync(f).isDirectory()) walk(f);
      else if (e.endsWith(".java")) {
        const text = readFileSync(f, "utf8");
        if (/@ConfigMapping\(/.test(text)) found.push({ path: relative(repo, f), ...parseConfigMapping(text) });
      }
    }
  };
  for (const dir of projectClasspath(repo, module)) {
    const src = join(repo, dir, "src/main/java");
    if (existsSync(src)) walk(src);
  }
  return found;
}

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
  const supers = new Map();   // interface -> the interfaces it extends (their properties are its own too)
  const enums = new Map();
  const re = /\b(interface|enum)\s+(\w+)([^{]*)\{/g;
  let m;
  while ((m = re.exec(src))) {
    let depth = 1, i = re.lastIndex;
    while (depth > 0 && i < src.length) { if (src[i] === "{") depth++; else if (src[i] === "}") depth--; i++; }
    const body = src.slice(re.lastIndex, i - 1);
    if (m[1] === "enum") enums.set(m[2], body.split(/[,;]/).map((s) => s.trim()).filter((s) => /^\w+$/.test(s)));
    else {
      blocks.set(m[2], body);
      supers.set(m[2], (/\bextends\s+([\w\s,.]+)/.exec(m[3])?.[1] || "").split(",").map((s) => s.trim()).filter(Boolean));
    }
  }
  const topName = /interface\s+(\w+)/.exec(src.slice(src.indexOf("@ConfigMapping")))[1];
  const props = [];
  const walk = (ifaceName, path) => {
    for (const sup of supers.get(ifaceName) || []) if (blocks.has(sup)) walk(sup, path);
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
