// Checks that the official `openai` npm client works against the Sightline gateway with only `baseURL` and
// `apiKey` changed. Environment: SIGHTLINE_URL (e.g. http://127.0.0.1:8080) and SIGHTLINE_KEY (an API key).
// Prints one JSON line of results and exits 0 on success; prints a message and exits 1 on any failure.
import OpenAI from "openai";
import { VERSION as OPENAI_VERSION } from "openai/version";

const MODEL = "sightline/tiny-clip";
const DIMENSIONS = 128;

class CheckFailed extends Error {}

function check(condition, message) {
  if (!condition) throw new CheckFailed(message);
}

function env(name) {
  const value = (process.env[name] ?? "").trim();
  check(value !== "", `${name} is not set (SIGHTLINE_URL=http://127.0.0.1:8080, SIGHTLINE_KEY=<api key>)`);
  return value;
}

function describe(err) {
  if (err instanceof OpenAI.APIError) {
    return `${err.constructor.name} status=${err.status ?? "none"}: ${err.message}`;
  }
  return err?.stack ?? String(err);
}

/** Runs `fn`, which must throw an instance of `errorClass` with `status`; returns that status. */
async function expectError(what, errorClass, status, fn) {
  let result;
  try {
    result = await fn();
  } catch (err) {
    check(err instanceof errorClass,
      `${what}: expected OpenAI.${errorClass.name} (${status}), got ${describe(err)}`);
    check(err.status === status, `${what}: expected status ${status}, got ${err.status}`);
    return err.status;
  }
  throw new CheckFailed(`${what}: expected OpenAI.${errorClass.name} (${status}), but the call succeeded: `
    + JSON.stringify(result).slice(0, 300));
}

/** Checks an embeddings response for `n` unit vectors of DIMENSIONS numbers; returns the vectors as arrays. */
function vectorsOf(what, response, n) {
  check(response && Array.isArray(response.data), `${what}: no data array in ${JSON.stringify(response)}`);
  check(response.data.length === n, `${what}: expected ${n} embeddings, got ${response.data.length}`);
  const vectors = [];
  response.data.forEach((item, i) => {
    check(item.index === i, `${what}: embedding ${i} has index ${item.index}`);
    const v = Array.from(item.embedding ?? []);
    check(v.length === DIMENSIONS, `${what}: embedding ${i} has ${v.length} components, expected ${DIMENSIONS}`
      + (typeof item.embedding === "string" ? " (it is a string: not decoded)" : ""));
    check(v.every((x) => typeof x === "number" && Number.isFinite(x)),
      `${what}: embedding ${i} has non-finite or non-number components`);
    const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    check(Math.abs(norm - 1) < 1e-4, `${what}: embedding ${i} has norm ${norm}, expected 1 (|norm - 1| < 1e-4)`);
    vectors.push(v);
  });
  check(response.model === MODEL, `${what}: response model is ${JSON.stringify(response.model)}, expected ${MODEL}`);
  check(response.usage && response.usage.prompt_tokens > 0,
    `${what}: usage.prompt_tokens must be > 0, got ${JSON.stringify(response.usage)}`);
  return vectors;
}

async function main() {
  const baseURL = env("SIGHTLINE_URL").replace(/\/+$/, "") + "/v1";
  const apiKey = env("SIGHTLINE_KEY");
  const client = new OpenAI({ baseURL, apiKey });
  const results = { ok: true, openai_version: OPENAI_VERSION, node_version: process.version, base_url: baseURL };

  // (a) the model list contains the served model
  const models = [];
  for await (const model of client.models.list()) models.push(model.id);
  check(models.includes(MODEL), `models.list(): ${MODEL} not among ${JSON.stringify(models)}`);
  results.models = models;

  // (b) embeddings: the client's default (it asks for base64 and decodes it) and explicit float, same numbers
  const input = ["a red circle", "a blue square"];
  const viaBase64 = await client.embeddings.create({ model: MODEL, input });
  const b64 = vectorsOf("embeddings.create (default base64)", viaBase64, input.length);
  const viaFloat = await client.embeddings.create({ model: MODEL, input, encoding_format: "float" });
  const flt = vectorsOf("embeddings.create (encoding_format float)", viaFloat, input.length);
  let maxDiff = 0;
  for (let i = 0; i < input.length; i++) {
    for (let j = 0; j < DIMENSIONS; j++) maxDiff = Math.max(maxDiff, Math.abs(b64[i][j] - flt[i][j]));
  }
  check(maxDiff < 1e-6, `base64 and float embeddings differ by up to ${maxDiff} (must be < 1e-6)`);
  const cosine = b64[0].reduce((s, x, j) => s + x * b64[1][j], 0);
  results.embeddings = {
    count: b64.length,
    dimensions: b64[0].length,
    norms: b64.map((v) => Number(Math.sqrt(v.reduce((s, x) => s + x * x, 0)).toFixed(7))),
    prompt_tokens: viaBase64.usage.prompt_tokens,
    total_tokens: viaBase64.usage.total_tokens,
    max_abs_diff_base64_vs_float: maxDiff,
    cosine_0_1: Number(cosine.toFixed(6)),
  };

  // (c) a wrong API key is an AuthenticationError (401)
  const wrong = new OpenAI({ baseURL, apiKey: "sk-sl-wrong-key-for-the-openai-client-test" });
  results.wrong_key_status = await expectError("models.list() with a wrong API key",
    OpenAI.AuthenticationError, 401, () => wrong.models.list());

  // (d) an unknown model is a NotFoundError (404)
  results.unknown_model_status = await expectError("embeddings.create with an unknown model",
    OpenAI.NotFoundError, 404, () => client.embeddings.create({ model: "sightline/no-such-model", input: "a red circle" }));

  console.log(JSON.stringify(results));
}

try {
  await main();
} catch (err) {
  const message = err instanceof CheckFailed ? err.message : describe(err);
  console.error(`openai-client check FAILED: ${message}`);
  process.exit(1);
}
