"""A small client of Sightline's public API for the launcher's scripts (demo.py, index.py): standard library only.

JSON requests with the API key as bearer token, answers of 429 and 503 retried after their Retry-After, and
problem+json answers turned into ApiError with the status and the problem's detail.
"""
import http.client
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_URL = "http://127.0.0.1:8080"
RETRIES = 6  # for 429 / 503 answers (Retry-After honoured)


class ApiError(Exception):
    """A request that failed: status is the HTTP status, or None when the gateway could not be reached."""

    def __init__(self, message, status=None, detail=None):
        super().__init__(message)
        self.status = status
        self.detail = detail


def default_url():
    return os.environ.get("SIGHTLINE_URL") or DEFAULT_URL


def default_key():
    """SIGHTLINE_KEY when set, else the development key `./sightline up` wrote (.sightline/dev-key), else ''."""
    if os.environ.get("SIGHTLINE_KEY"):
        return os.environ["SIGHTLINE_KEY"]
    try:
        with open(os.path.join(ROOT, ".sightline", "dev-key"), encoding="utf-8") as f:
            return f.read().strip()
    except OSError:
        return ""


def segment(name):
    """One path segment, percent-encoded (a space as %20)."""
    return urllib.parse.quote(name, safe="")


def _retry_after(value, attempt):
    try:
        return min(max(float(value), 0.5), 30.0)
    except (TypeError, ValueError):
        return min(2.0 ** attempt, 30.0)


class Client:
    def __init__(self, url, key, timeout=300, quiet_retries=False):
        self.url = url.rstrip("/")
        self.key = key
        self.timeout = timeout
        self.quiet_retries = quiet_retries

    def call(self, method, path, body=None, ok=(200, 201, 204)):
        """One JSON request; returns (status, parsed body or None). Raises ApiError for any status not in ok."""
        data = None if body is None else json.dumps(body, separators=(",", ":")).encode("utf-8")
        return self.send(method, path, data, "application/json", ok)

    def ndjson(self, path, data, ok=(200,)):
        """A bulk write: POSTs data (bytes, one JSON item per line); returns (status, parsed answer)."""
        return self.send("POST", path, data, "application/x-ndjson", ok)

    def send(self, method, path, data, content_type, ok=(200, 201, 204)):
        """One request with a body of bytes (or None) of that type; as call()."""
        for attempt in range(RETRIES + 1):
            req = urllib.request.Request(self.url + path, data=data, method=method)
            req.add_header("Authorization", "Bearer " + self.key)
            req.add_header("Accept", "application/json, application/problem+json")
            if data is not None:
                req.add_header("Content-Type", content_type)
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    raw = resp.read()
                    try:
                        return resp.status, (json.loads(raw) if raw else None)
                    except ValueError:
                        raise ApiError(f"{method} {path}: HTTP {resp.status} with a body that is not JSON",
                                       resp.status) from None
            except urllib.error.HTTPError as e:
                raw = e.read().decode("utf-8", "replace")
                if e.code in (429, 503) and attempt < RETRIES:
                    wait = _retry_after(e.headers.get("Retry-After"), attempt)
                    if not self.quiet_retries:
                        print(f"  {method} {path}: HTTP {e.code}, retrying in {wait:g}s", file=sys.stderr)
                    time.sleep(wait)
                    continue
                if e.code in ok:
                    return e.code, None
                try:
                    problem = json.loads(raw)
                    detail = problem.get("detail") or problem.get("title")
                    pretty = json.dumps(problem, indent=2)
                except (ValueError, AttributeError):
                    detail, pretty = raw.strip()[:300], raw
                raise ApiError(f"{method} {path} failed: HTTP {e.code} {e.reason}\n{pretty}", e.code, detail) from None
            except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError) as e:
                reason = getattr(e, "reason", e)
                raise ApiError(f"cannot reach the gateway at {self.url} ({reason}); "
                               f"is the platform running? (./sightline up)") from None
        raise AssertionError("unreachable")
