#!/usr/bin/python3
"""Indexes a folder of images into a Sightline collection: `./sightline index DIR --collection NAME`.

usage: scripts/index.py DIR --collection NAME [--recursive] [--concurrency N] [--url URL] [--key KEY]
                        [--media none|thumbnail|original] [--batch N]

Every image file under DIR (.jpg .jpeg .png .gif .bmp .webp, any case) becomes one image item whose id is its path
relative to DIR (see item_id) and whose metadata names that path. A file whose item already holds the same bytes
(the item's source_sha256 is the file's SHA-256, read for the whole collection first, 1000 items per request) is
skipped, so a run that was interrupted resumes where it stopped. A file the platform refuses is reported at the end and the run goes on; the exit status is 1 when any file
failed, 130 when interrupted, else 0. Standard library only.
"""
import argparse
import base64
import hashlib
import os
import queue
import string
import sys
import threading
import time

from sightline_api import ApiError, Client, default_key, default_url, segment

EXTENSIONS = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp"}
CONTENT_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
                 ".bmp": "image/bmp", ".webp": "image/webp"}
MAX_ID = 128                                   # common's Names.ITEM_ID: [A-Za-z0-9._:@+=~-]{1,128}
MAX_BATCH_BYTES = 12 * 1024 * 1024             # file bytes per request: base64 (x4/3) + thumbnails stay far under the
                                               # 32 MiB request limit of the gateway and of retrieval-service
KEPT = set(string.ascii_letters + string.digits + "._@+=-")


def item_id(relative):
    """The item id of a path relative to DIR: '/' becomes ':', and any other character outside [A-Za-z0-9._@+=-]
    (':' and '~' included) becomes '~' and two hex digits per UTF-8 byte; so distinct paths get distinct ids, and
    'holiday/IMG 1.jpg' is 'holiday:IMG~201.jpg'. None when the id would be longer than an id may be."""
    out = []
    for part_no, part in enumerate(relative.split("/")):
        if part_no:
            out.append(":")
        for ch in part:
            # surrogateescape: a file name that is not UTF-8 keeps its own bytes
            out.append(ch if ch in KEPT else "".join(f"~{b:02X}" for b in ch.encode("utf-8", "surrogateescape")))
    ident = "".join(out)
    return ident if 0 < len(ident) <= MAX_ID else None


def image_files(folder, recursive, unreadable):
    """The image files under folder, as sorted relative paths with '/' separators; folders that cannot be listed
    are appended to unreadable as (relative path, message)."""
    found = []
    if recursive:
        def skipped(e):
            unreadable.append((os.path.relpath(e.filename, folder).replace(os.sep, "/") + "/",
                               f"cannot list this folder ({e.strerror})"))

        for dirpath, dirnames, filenames in os.walk(folder, onerror=skipped):
            dirnames.sort()
            for name in filenames:
                found.append(os.path.relpath(os.path.join(dirpath, name), folder))
    else:
        found = [n for n in os.listdir(folder) if os.path.isfile(os.path.join(folder, n))]
    rel = [p.replace(os.sep, "/") for p in found if os.path.splitext(p)[1].lower() in EXTENSIONS]
    return sorted(rel)


class Progress:
    """A progress line on stderr: a bar, counts, rate and ETA; redrawn in place on a terminal, else every 5 s."""

    def __init__(self, total, stream=sys.stderr):
        self.total, self.stream = total, stream
        self.done = self.uploaded = self.skipped = self.failed = 0
        self.started = time.monotonic()
        self.tty = stream.isatty()
        self.last = 0.0
        self.lock = threading.Lock()

    def count(self, uploaded=0, skipped=0, failed=0):
        with self.lock:
            self.uploaded += uploaded
            self.skipped += skipped
            self.failed += failed
            self.done += uploaded + skipped + failed
            now = time.monotonic()
            if self.done == self.total or now - self.last >= (0.2 if self.tty else 5.0):
                self.last = now
                self._draw(now)

    def finish(self):
        """The last line, unless the last count drew it."""
        with self.lock:
            if self.done < self.total or self.last == 0.0:
                self._draw(time.monotonic())

    def _draw(self, now):
        elapsed = max(now - self.started, 1e-6)
        rate = self.done / elapsed
        left = self.total - self.done
        eta = f"{int(left / rate) // 60}:{int(left / rate) % 60:02d}" if rate > 0 else "?"
        width = 30
        filled = width * self.done // max(self.total, 1)
        bar = "#" * filled + "." * (width - filled)
        line = (f"[{bar}] {self.done}/{self.total} {100 * self.done // max(self.total, 1)}% "
                f"{rate:.1f} files/s ETA {eta}  uploaded {self.uploaded}, skipped {self.skipped}, "
                f"failed {self.failed}")
        self.stream.write(("\r" + line + "\033[K" + ("\n" if self.done == self.total else "")) if self.tty
                          else line + "\n")
        self.stream.flush()


def stored_hashes(client, collection):
    """{item id: source_sha256} of every item the collection holds, read 1000 at a time in id order."""
    path = f"/v1/collections/{segment(collection)}/items?limit=1000"
    hashes, after = {}, None
    while True:
        _, page = client.call("GET", path + ("" if after is None else "&after=" + segment(after)))
        for item in page["items"]:
            hashes[item["id"]] = item.get("source_sha256")
        after = page.get("next_after")
        if after is None:
            return hashes


class Indexer:
    def __init__(self, client, folder, collection, batch, progress, stored):
        self.client, self.folder, self.collection = client, folder, collection
        self.batch, self.progress = batch, progress
        self.stored = stored        # item id -> source_sha256 of what the collection held when the run began
        self.items_path = f"/v1/collections/{segment(collection)}/items"
        self.errors = []            # (relative path, message)
        self.errors_lock = threading.Lock()

    def fail(self, rel, message):
        with self.errors_lock:
            self.errors.append((rel, message))
        self.progress.count(failed=1)

    def prepare(self, rel):
        """(item, size) for a file that needs uploading, or None when it was skipped or failed (counted)."""
        ident = item_id(rel)
        if ident is None:
            self.fail(rel, f"its item id would be longer than {MAX_ID} characters")
            return None
        try:
            with open(os.path.join(self.folder, rel), "rb") as f:
                data = f.read()
        except OSError as e:
            self.fail(rel, f"cannot read it ({e.strerror})")
            return None
        digest = hashlib.sha256(data).hexdigest()
        if self.stored.get(ident) == digest:
            self.progress.count(skipped=1)
            return None
        ctype = CONTENT_TYPES[os.path.splitext(rel)[1].lower()]
        return {"id": ident, "image": f"data:{ctype};base64," + base64.b64encode(data).decode("ascii"),
                "metadata": {"path": rel}}, len(data)

    def upload(self, entries):
        """Uploads [(rel, item)] in one request; when the platform refuses it, file by file to name the culprit."""
        try:
            self.client.call("POST", self.items_path, {"items": [item for _, item in entries]})
            self.progress.count(uploaded=len(entries))
        except ApiError as e:
            # Stop the run for what no other file can get past: no gateway, a bad key, a missing collection, an
            # overloaded platform (429 or 503 still, after the client's retries).
            if e.status is None or e.status >= 500 or e.status in (401, 403, 404, 429):
                raise
            if len(entries) == 1:
                self.fail(entries[0][0], f"HTTP {e.status}: {e.detail}")
                return
            for entry in entries:
                self.upload([entry])

    def worker(self, files):
        """Takes relative paths from files until it is empty, uploading them a batch at a time."""
        pending, size = [], 0
        while True:
            try:
                rel = files.get_nowait()
            except queue.Empty:
                break
            prepared = self.prepare(rel)
            if prepared is None:
                continue
            item, n = prepared
            if pending and (len(pending) >= self.batch or size + n > MAX_BATCH_BYTES):
                self.upload(pending)
                pending, size = [], 0
            pending.append((rel, item))
            size += n
        if pending:
            self.upload(pending)


def ensure_collection(client, name, media):
    status, body = client.call("GET", f"/v1/collections/{segment(name)}", ok=(200, 404))
    if status == 200:
        if media and body.get("media") != media:
            raise ApiError(f"collection '{name}' exists and keeps media '{body.get('media')}', not '{media}'")
        return body, False
    request = {"name": name}
    if media:
        request["media"] = media
    _, body = client.call("POST", "/v1/collections", request)
    return body, True


def main(argv=None):
    p = argparse.ArgumentParser(prog="./sightline index",
                                description="Upload every image file under DIR into a collection, resumably.")
    p.add_argument("dir", metavar="DIR")
    p.add_argument("--collection", required=True, help="the collection (created when missing)")
    p.add_argument("--recursive", action="store_true", help="descend into sub-folders")
    p.add_argument("--concurrency", type=int, default=4, help="requests in flight (default %(default)s)")
    p.add_argument("--batch", type=int, default=16, help="images per upload request, 1-64 (default %(default)s)")
    p.add_argument("--media", choices=("none", "thumbnail", "original"),
                   help="what a collection created by this run keeps (default: the platform's, thumbnail)")
    p.add_argument("--url", default=default_url(), help="gateway URL (SIGHTLINE_URL; default %(default)s)")
    p.add_argument("--key", default=None, help="API key (SIGHTLINE_KEY; default the local development key)")
    args = p.parse_args(argv)
    if not os.path.isdir(args.dir):
        p.error(f"{args.dir} is not a folder")
    if not 1 <= args.concurrency <= 64:
        p.error("--concurrency must be from 1 to 64")
    if not 1 <= args.batch <= 64:
        p.error("--batch must be from 1 to 64")
    key = args.key or default_key()
    if not key:
        p.error("no API key: pass --key, export SIGHTLINE_KEY, or start the platform (./sightline up)")

    client = Client(args.url, key, quiet_retries=True)
    unreadable = []
    files = image_files(args.dir, args.recursive, unreadable)
    try:
        collection, created = ensure_collection(client, args.collection, args.media)
    except ApiError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    print(f"{'created' if created else 'indexing into'} collection '{args.collection}' "
          f"(media {collection.get('media')}): {len(files)} image files under {args.dir}", file=sys.stderr)

    try:
        stored = {} if created else stored_hashes(client, args.collection)
    except ApiError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if stored:
        print(f"the collection holds {len(stored)} items: files with the same bytes are skipped", file=sys.stderr)
    progress = Progress(len(files))
    indexer = Indexer(client, args.dir, args.collection, args.batch, progress, stored)
    work = queue.Queue()
    for rel in files:
        work.put(rel)
    fatal = []

    indexer.errors.extend(unreadable)

    def run():
        try:
            indexer.worker(work)
        except Exception as e:  # noqa: BLE001  (any failure stops the run and is reported, never a silent exit 0)
            fatal.append(e if isinstance(e, ApiError) else ApiError(f"{type(e).__name__}: {e}"))
            while True:  # the others stop at their next file
                try:
                    work.get_nowait()
                except queue.Empty:
                    break

    threads = [threading.Thread(target=run, daemon=True) for _ in range(min(args.concurrency, max(len(files), 1)))]
    for t in threads:
        t.start()
    interrupted = False
    try:
        for t in threads:
            while t.is_alive():
                t.join(0.2)
    except KeyboardInterrupt:
        interrupted = True
    if files and not interrupted:
        progress.finish()
    elapsed = time.monotonic() - progress.started
    lead = "\n" if interrupted else ""  # after a half-drawn progress line
    print(f"{lead}{progress.uploaded} uploaded, {progress.skipped} already indexed, "
          f"{len(indexer.errors)} failed in {elapsed:.1f}s", file=sys.stderr)
    for rel, message in sorted(indexer.errors):
        print(f"  failed: {rel}: {message}", file=sys.stderr)
    if interrupted:
        print("interrupted: run the same command again to resume", file=sys.stderr)
        return 130
    if fatal:
        print(f"error: {fatal[0]}", file=sys.stderr)
        return 1
    if progress.done < progress.total:
        print(f"error: {progress.total - progress.done} files were not processed", file=sys.stderr)
        return 1
    return 1 if indexer.errors else 0

if __name__ == "__main__":
    sys.exit(main())
