"""A client for the TEI Publisher API (versions 9 and 10): login, upload, ODDs, documents, with retries."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import httpx
from lxml import html

# Answers worth trying again: the server or a proxy in front of it was briefly unavailable.
TRANSIENT_STATUS = frozenset({429, 502, 503, 504})


class PublisherError(Exception):
    """A request failed; `code` is the diagnostic code to report it with."""

    def __init__(self, code: str, message: str, status: int | None = None):
        super().__init__(message)
        self.code = code
        self.status = status


@dataclass(frozen=True)
class Uploaded:
    """One entry of an upload answer."""

    name: str
    path: str


def document_id(collection: str, name: str) -> str:
    """The id TEI Publisher knows a document by: its path below the data root."""
    return f"{collection.strip('/')}/{name}" if collection.strip("/") else name


def quoted_id(doc_id: str) -> str:
    """A document id as one path segment: its slashes sent as %2F, as the API wants them."""
    return quote(doc_id, safe="")


def odd_errors(answer: str) -> list[str]:
    """The errors in the HTML TEI Publisher answers a recompilation with (list items marked as danger)."""
    if not answer.strip():
        return []
    page = html.fromstring(answer)
    found = []
    for item in page.iter("li"):
        classes = f" {item.get('class', '')} "
        marked = " danger " in classes or any("danger" in (e.get("class") or "").split() for e in item.iterdescendants())
        if marked:
            found.append(" ".join(item.text_content().split()))
    return found


class Publisher:
    """A session with one TEI Publisher instance."""

    def __init__(
        self,
        url: str,
        user: str | None = None,
        password: str | None = None,
        *,
        retries: int = 3,
        backoff: float = 0.5,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ):
        self.url = url.rstrip("/")
        self.user, self.password = user, password
        self.retries, self.backoff, self.sleep = max(0, retries), backoff, sleep
        self.basic = False  # set when the server has no login endpoint: Basic auth on every request
        self.http = httpx.Client(base_url=self.url, timeout=timeout, transport=transport, follow_redirects=False)
        self.version: str | None = None

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Publisher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transport -------------------------------------------------------------------------

    def request(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        """One request, tried again with growing pauses on a transient failure."""
        if self.basic and self.user is not None:
            kwargs.setdefault("auth", httpx.BasicAuth(self.user, self.password or ""))
        attempt = 0
        while True:
            try:
                answer = self.http.request(method, path, **kwargs)  # type: ignore[arg-type]
            except (httpx.TransportError, httpx.TimeoutException) as exc:
                if attempt >= self.retries:
                    raise PublisherError("TE710", f"{method} {path}: {type(exc).__name__}: {exc}") from None
            else:
                if answer.status_code not in TRANSIENT_STATUS or attempt >= self.retries:
                    return answer
            self.sleep(self.backoff * (2 ** attempt))
            attempt += 1

    def _fail(self, answer: httpx.Response, what: str, code: str = "TE710") -> PublisherError:
        detail = answer.text.strip().replace("\n", " ")[:200]
        if answer.status_code in (401, 403):
            return PublisherError("TE711", f"{what}: HTTP {answer.status_code}: not allowed (is the user in group tei?)",
                                  answer.status_code)
        return PublisherError(code, f"{what}: HTTP {answer.status_code}" + (f": {detail}" if detail else ""), answer.status_code)

    # -- session ---------------------------------------------------------------------------

    def connect(self) -> str:
        """The server's version, after logging in when a user is given."""
        answer = self.request("GET", "/api/version")
        if answer.status_code != 200:
            raise self._fail(answer, "GET /api/version")
        try:
            info = answer.json()
        except ValueError:
            raise PublisherError("TE710", "GET /api/version: the answer is not JSON: is this TEI Publisher?") from None
        app = info.get("app") if isinstance(info, dict) else None
        self.version = str((app or {}).get("version") or info.get("version") or "")
        if self.user is not None:
            self.login()
        return self.version

    @property
    def major(self) -> int:
        try:
            return int((self.version or "0").split(".")[0])
        except ValueError:
            return 0

    def login(self) -> None:
        answer = self.request("POST", "/api/login", data={"user": self.user or "", "password": self.password or ""})
        if answer.status_code in (404, 405):
            self.basic = True  # no login endpoint: HTTP Basic on every request instead
            return
        if answer.status_code == 401:
            raise PublisherError("TE711", f"login as {self.user!r} refused (HTTP 401)", 401)
        if answer.status_code != 200:
            raise self._fail(answer, "POST /api/login")

    # -- ODDs ------------------------------------------------------------------------------

    def odds(self) -> list[str]:
        answer = self.request("GET", "/api/odd")
        if answer.status_code != 200:
            raise self._fail(answer, "GET /api/odd")
        return [str(entry.get("name")) if isinstance(entry, dict) else str(entry) for entry in answer.json()]

    def recompile(self, odd_name: str) -> list[str]:
        """Recompile one ODD; the errors the server's HTML answer lists (HTTP 200 even when it failed)."""
        answer = self.request("POST", "/api/odd", params={"odd": odd_name, "check": "true"})
        if answer.status_code != 200:
            raise self._fail(answer, f"POST /api/odd?odd={odd_name}", "TE712")
        return odd_errors(answer.text)

    # -- documents -------------------------------------------------------------------------

    def upload(self, collection: str, files: list[tuple[str, bytes]]) -> list[Uploaded]:
        """Multipart upload to a collection (an .odd goes to the ODD folder, whatever the collection)."""
        parts = [("files[]", (name, data, "application/xml")) for name, data in files]
        answer = self.request("POST", f"/api/upload/{quote(collection.strip('/'), safe='/')}", files=parts)
        if answer.status_code != 200:
            raise self._fail(answer, f"upload to {collection}", "TE713")
        try:
            entries = answer.json()
        except ValueError:
            raise PublisherError("TE713", f"upload to {collection}: the answer is not JSON") from None
        if not isinstance(entries, list):
            raise PublisherError("TE713", f"upload to {collection}: the answer is not a list of files: {entries!r:.200}")
        return [Uploaded(str(e.get("name", "")), str(e.get("path", ""))) for e in entries if isinstance(e, dict)]

    def put(self, doc_id: str, data: bytes) -> None:
        """Store one document by id (version 10)."""
        answer = self.request("PUT", f"/api/document/{quoted_id(doc_id)}", content=data,
                              headers={"Content-Type": "application/xml"})
        if answer.status_code not in (200, 201, 204):
            raise self._fail(answer, f"PUT {doc_id}", "TE713")

    def fetch(self, doc_id: str) -> bytes | None:
        """A stored document's source, or None when the server does not have it."""
        answer = self.request("GET", f"/api/document/{quoted_id(doc_id)}")
        if answer.status_code in (404, 410):
            return None
        if answer.status_code != 200:
            raise self._fail(answer, f"GET {doc_id}")
        return answer.content

    def delete(self, doc_id: str) -> None:
        """Delete one document; the server answers 204 where its description says 410: both are success."""
        answer = self.request("DELETE", f"/api/document/{quoted_id(doc_id)}")
        if answer.status_code not in (200, 204, 410):
            raise self._fail(answer, f"DELETE {doc_id}")

    # -- collections -----------------------------------------------------------------------

    def collection(self, collection: str) -> list[str] | None:
        """The names of the documents in a collection, or None when it does not exist."""
        answer = self.request("GET", f"/api/collection/{quote(collection.strip('/'), safe='/')}")
        if answer.status_code == 404:
            return None
        if answer.status_code != 200:
            raise self._fail(answer, f"GET collection {collection}")
        prefix = collection.strip("/") + "/"
        names = []
        page = html.fromstring(answer.text or "<div/>")
        for element in page.iter():
            for value in (element.get("data-doc"), element.get("href")):
                if value and value.startswith(prefix) and "/" not in value[len(prefix):]:
                    names.append(value[len(prefix):])
        return sorted(set(names))

    def create_collection(self, collection: str) -> bool:
        """Create a collection; False when the server does not offer it or refuses."""
        answer = self.request("POST", f"/api/collection/{quote(collection.strip('/'), safe='/')}")
        if answer.status_code in (200, 201):
            return True
        if answer.status_code in (401, 403):
            raise self._fail(answer, f"create collection {collection}")
        return False
