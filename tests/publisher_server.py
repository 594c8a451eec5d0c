"""A local TEI Publisher for the tests: the API's contract and quirks, every request checked against our OpenAPI file."""

from __future__ import annotations

import base64
import json
import logging
import re
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

SPEC = Path(__file__).resolve().parents[1] / "src" / "tei_encoder" / "publish" / "teipublisher-openapi.yaml"
COOKIE = "teipublisher.com.login"
# The server reads the instruction with double quotes only, as TEI Publisher does.
_PI = re.compile(rb'<\?teipublisher\s[^?]*odd="([^"]+)"')
_openapi: OpenAPI | None = None
logging.getLogger("werkzeug").setLevel(logging.ERROR)


class RawPathRequest(WerkzeugOpenAPIRequest):
    """The request as sent: the path still percent-encoded, so an id's %2F stays one path segment."""

    def __init__(self, request: Request, raw_path: str):
        super().__init__(request)
        self.raw_path = raw_path

    @property
    def path(self) -> str:
        return self.raw_path


def openapi() -> OpenAPI:
    global _openapi
    if _openapi is None:
        _openapi = OpenAPI.from_file_path(str(SPEC))
    return _openapi


@dataclass
class State:
    """What the server holds and what it saw."""

    version: str = "9.0.0"
    users: dict[str, tuple[str, set[str]]] = field(default_factory=lambda: {"editor": ("secret", {"tei"})})
    collections: set[str] = field(default_factory=lambda: {"playground"})
    documents: dict[str, bytes] = field(default_factory=dict)
    odds: dict[str, bytes] = field(default_factory=lambda: {"teipublisher.odd": b"<TEI/>"})
    registered: set[str] = field(default_factory=lambda: {"teipublisher.odd"})  # v10: ODDs compiled
    can_create: bool = True
    login_endpoint: bool = True
    odd_errors: list[str] = field(default_factory=list)
    transient: dict[str, int] = field(default_factory=dict)  # "METHOD /path" prefix -> 503s still to answer
    store_fails: set[str] = field(default_factory=set)  # document names whose storing answers 500
    sessions: set[str] = field(default_factory=set)
    requests: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def odd_for(self, doc_id: str) -> str:
        """The ODD a stored document renders with: the one its instruction names, if the server has it, else the default."""
        match = _PI.search(self.documents.get(doc_id, b"")[:8192])
        name = match.group(1).decode() if match else None
        known = self.registered if self.version.startswith("10") else set(self.odds)
        return name if name in known else "teipublisher.odd"


class PublisherServer:
    """The server on 127.0.0.1, a free port, in a thread."""

    def __init__(self, state: State | None = None):
        self.state = state or State()
        self.lock = threading.Lock()
        self.httpd = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/exist/apps/tei-publisher"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> PublisherServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.thread.join(5)

    # -- WSGI ------------------------------------------------------------------------------

    def app(self, environ, start_response):  # type: ignore[no-untyped-def]
        prefix = "/exist/apps/tei-publisher"
        raw = environ.get("REQUEST_URI") or environ.get("RAW_URI") or environ.get("PATH_INFO", "")
        path_info = environ.get("PATH_INFO", "")
        if not path_info.startswith(prefix):
            return Response("not found", 404)(environ, start_response)
        environ["PATH_INFO"] = path_info[len(prefix):]
        request = Request(environ)
        with self.lock:
            response = self.handle(request, raw.split("?")[0][len(prefix):])
        return response(environ, start_response)

    def handle(self, request: Request, raw_path: str) -> Response:
        state = self.state
        key = f"{request.method} {request.path}"
        state.requests.append(key)
        try:
            openapi().validate_request(RawPathRequest(request, raw_path))
        except Exception as exc:  # the request does not have the shape the contract says
            cause = exc.__cause__ or exc
            state.violations.append(f"{key}: {type(exc).__name__}: {cause}")
            return Response(f"bad request: {exc}", 400)
        for transient, left in list(state.transient.items()):
            if key.startswith(transient) and left > 0:
                state.transient[transient] = left - 1
                return Response("busy", 503)
        if request.path.startswith("/api/document/") and "/" in raw_path[len("/api/document/"):]:
            state.violations.append(f"{key}: document id sent with '/', not %2F: {raw_path}")
            return Response("not found", 404)
        return self.route(request)

    def user(self, request: Request) -> str | None:
        cookie = request.cookies.get(COOKIE)
        if cookie and cookie in self.state.sessions:
            return cookie.split(":")[0]
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            name, _, password = base64.b64decode(header[6:]).decode().partition(":")
            if name in self.state.users and self.state.users[name][0] == password:
                return name
        return None

    def may_write(self, request: Request) -> bool:
        name = self.user(request)
        return name is not None and "tei" in self.state.users[name][1]

    def route(self, request: Request) -> Response:
        state, path, method = self.state, request.path, request.method
        if path == "/api/version":
            return _json({"api": "1.0.0", "app": {"name": "tei-publisher", "version": state.version}})
        if path == "/api/login" and method == "POST":
            if not state.login_endpoint:
                return Response("not found", 404)
            name, password = request.form.get("user", ""), request.form.get("password", "")
            if state.users.get(name, ("", set()))[0] != password or name not in state.users:
                return Response("", 401)
            token = f"{name}:{secrets.token_hex(8)}"
            state.sessions.add(token)
            answer = _json({"user": name, "groups": sorted(state.users[name][1])})
            answer.set_cookie(COOKIE, token, path="/")
            return answer
        if path.startswith("/api/upload/") and method == "POST":
            if not self.may_write(request):
                return Response("", 401)
            collection = path[len("/api/upload/"):].strip("/")
            files = request.files.getlist("files[]")
            entries = []
            for upload in files:
                data, name = upload.read(), upload.filename or ""
                if name.endswith(".odd"):  # whatever the collection
                    state.odds[name] = data
                    state.registered.discard(name)  # v10: not registered until compiled again
                    entries.append({"name": name, "path": f"odd/{name}", "type": "application/xml", "size": len(data)})
                    continue
                if collection not in state.collections:
                    return _json({"description": "collection not found"}, 404)
                if name in state.store_fails:
                    return _json({"description": "store failed"}, 500)
                self.store(f"{collection}/{name}", data)
                entries.append({"name": name, "path": f"{collection}/{name}", "type": "application/xml", "size": len(data)})
            return _json(entries)
        if path == "/api/odd":
            if method == "GET":
                known = state.registered if state.version.startswith("10") else set(state.odds)
                return _json([{"name": n, "label": n} for n in sorted(known)])
            if not self.may_write(request):
                return Response("", 401)
            name = request.args["odd"]
            if name not in state.odds:
                return _html(f'<ul><li class="list-group-item danger">ODD {name} not found</li></ul>')
            if state.odd_errors:  # a failed compilation still answers 200
                items = "".join(f'<li class="list-group-item danger">{e}</li>' for e in state.odd_errors)
                return _html(f"<div><h3>Compiling {name}</h3><ul>{items}</ul></div>")
            state.registered.add(name)
            return _html(f'<div><ul><li class="list-group-item success">{name}: generated web, print</li></ul></div>')
        if path.startswith("/api/document/"):
            doc_id = path[len("/api/document/"):]
            if method == "GET":
                if doc_id not in state.documents:
                    return Response("", 404)
                return Response(state.documents[doc_id], 200, content_type="application/xml")
            if not self.may_write(request):
                return Response("", 401)
            if method == "DELETE":
                state.documents.pop(doc_id, None)
                return Response(status=204)  # not the 410 the published description says
            if method == "PUT":
                if not state.version.startswith("10"):
                    return Response("", 404)
                collection, _, name = doc_id.rpartition("/")
                if collection not in state.collections:
                    return Response("", 404)
                if name in state.store_fails:
                    return Response("store failed", 500)
                existed = doc_id in state.documents
                self.store(doc_id, request.get_data())
                return Response(status=200 if existed else 201)
        if path.startswith("/api/collection/"):
            collection = path[len("/api/collection/"):].strip("/")
            if method == "GET":
                if collection not in state.collections:
                    return Response("", 404)
                links = "".join(f'<li><a href="{d}">{d}</a></li>' for d in sorted(state.documents) if d.startswith(collection + "/"))
                return _html(f"<ul>{links}</ul>")
            if not self.may_write(request):
                return Response("", 401)
            if not state.can_create:
                return Response("", 405)
            state.collections.add(collection)
            return Response(status=201)
        return Response("not found", 404)

    def store(self, doc_id: str, data: bytes) -> None:
        """Stored as sent: the server validates nothing; a document naming no ODD it has renders with the default."""
        self.state.documents[doc_id] = data
        if self.state.odd_for(doc_id) == "teipublisher.odd":
            self.state.violations.append(f"{doc_id}: renders with the default ODD (no double-quoted teipublisher "
                                         "instruction naming an ODD the server has)")


def _json(value: object, status: int = 200) -> Response:
    return Response(json.dumps(value), status, content_type="application/json")


def _html(body: str) -> Response:
    return Response(f"<html><body>{body}</body></html>", 200, content_type="text/html")
