"""Publishing to TEI Publisher against a local server that holds the API's contract and quirks."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from tei_encoder.cli import main
from tei_encoder.publish import Publisher, odd_errors, publish, with_odd
from tei_encoder.publish.lint import default_odd

from .publisher_server import COOKIE, PublisherServer, State

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = sorted((ROOT / "editions").glob("*.xml"))
SCHEMA = ROOT / "schema" / "tei_encoder.rng"
ODD = default_odd().name


def _quick(url: str) -> Publisher:
    return Publisher(url, "editor", "secret", sleep=lambda _: None)


def run(server: PublisherServer, editions: list[Path] = EDITIONS, **options: object):  # type: ignore[no-untyped-def]
    user = options.pop("user", "editor")
    password = options.pop("password", "secret")
    factory = lambda: Publisher(server.url, user, password, sleep=lambda _: None)  # type: ignore[arg-type]  # noqa: E731
    return publish(editions, server.url, "playground", user=user, password=password,  # type: ignore[arg-type]
                   schema=SCHEMA, client_factory=factory, **options)  # type: ignore[arg-type]


# -- the checker catches malformed requests ---------------------------------------------------

def _login(client: httpx.Client) -> None:
    assert client.post("/api/login", data={"user": "editor", "password": "secret"}).status_code == 200


def test_checker_refuses_upload_with_wrong_field_name():
    with PublisherServer() as server, httpx.Client(base_url=server.url) as client:
        _login(client)
        answer = client.post("/api/upload/playground", files=[("file", ("a.xml", b"<TEI/>", "application/xml"))])
        assert answer.status_code == 400
        assert any("upload" in v for v in server.state.violations)
        assert not server.state.documents


def test_checker_refuses_request_without_auth():
    with PublisherServer() as server, httpx.Client(base_url=server.url) as client:
        answer = client.post("/api/upload/playground", files=[("files[]", ("a.xml", b"<TEI/>", "application/xml"))])
        assert answer.status_code == 400
        assert any("Security" in v for v in server.state.violations), server.state.violations


def test_checker_refuses_login_with_wrong_field_name():
    with PublisherServer() as server, httpx.Client(base_url=server.url) as client:
        assert client.post("/api/login", data={"username": "editor", "password": "secret"}).status_code == 400
        assert server.state.violations


def test_checker_refuses_odd_recompile_without_check():
    with PublisherServer() as server, httpx.Client(base_url=server.url) as client:
        _login(client)
        assert client.post("/api/odd", params={"odd": "x.odd"}).status_code == 400
        assert server.state.violations


def test_checker_refuses_document_id_with_a_slash():
    with PublisherServer() as server, httpx.Client(base_url=server.url) as client:
        assert client.get("/api/document/playground/a.xml").status_code in (400, 404)
        assert server.state.violations and "playground/a.xml" in server.state.violations[0]


def test_checker_refuses_put_that_is_not_xml():
    with PublisherServer(State(version="10.0.0")) as server, httpx.Client(base_url=server.url) as client:
        _login(client)
        answer = client.put("/api/document/playground%2Fa.xml", content=b"<TEI/>", headers={"Content-Type": "text/plain"})
        assert answer.status_code == 400
        assert server.state.violations


@pytest.mark.parametrize("instruction, renders_default", [
    (b"<?teipublisher odd='tei-encoder-publisher.odd'?>", True),  # single quotes: not read
    (b'<?teipublisher odd="missing.odd"?>', True),  # an ODD the server does not have
    (b'<?teipublisher odd="tei-encoder-publisher.odd"?>', False),
])
def test_checker_sees_documents_that_render_with_the_default_odd(instruction: bytes, renders_default: bool):
    state = State()
    state.odds[ODD] = b"<TEI/>"
    with PublisherServer(state) as server, httpx.Client(base_url=server.url) as client:
        _login(client)
        body = b'<?xml version="1.0"?>\n' + instruction + b"\n<TEI/>"
        client.post("/api/upload/playground", files=[("files[]", ("a.xml", body, "application/xml"))])
        assert bool(server.state.violations) is renders_default, server.state.violations


# -- publishing ---------------------------------------------------------------------------------

def test_publish_version_9_uploads_odd_and_editions_with_the_instruction():
    originals = [p.read_bytes() for p in EDITIONS]
    with PublisherServer() as server:
        report = run(server)
        state = server.state
    assert report.exit_code == 0, report.lines()
    assert state.violations == []
    assert ODD in state.odds and ODD in state.registered
    for path, original in zip(EDITIONS, originals, strict=True):
        doc_id = f"playground/{path.name}"
        assert state.documents[doc_id] == with_odd(original, ODD)
        assert state.odd_for(doc_id) == ODD
        assert path.read_bytes() == original  # only the uploaded copy carries the instruction
    assert [d.status for d in report.documents] == ["published", "published"]
    # The ODD goes up and compiles before any edition names it.
    assert state.requests.index("POST /api/odd") < state.requests.index("GET /api/document/" + f"playground/{EDITIONS[0].name}")
    assert not any(r.startswith("PUT") for r in state.requests)


def test_publish_version_10_puts_documents_after_registering_the_odd():
    with PublisherServer(State(version="10.0.0")) as server:
        report = run(server)
        state = server.state
    assert report.exit_code == 0, report.lines()
    assert state.violations == []
    assert sum(r.startswith("PUT /api/document/") for r in state.requests) == len(EDITIONS)
    assert all(state.odd_for(d) == ODD for d in state.documents)


def test_publish_with_basic_auth_where_there_is_no_login():
    with PublisherServer(State(login_endpoint=False)) as server:
        report = run(server)
    assert report.exit_code == 0, report.lines()
    assert server.state.violations == []
    assert not server.state.sessions


def test_wrong_password_is_a_usage_error_and_sends_nothing():
    with PublisherServer() as server:
        report = run(server, password="wrong")
    assert report.exit_code == 2
    assert any(d.code == "TE711" for d in report.diagnostics)
    assert not server.state.documents and ODD not in server.state.odds


def test_user_outside_group_tei_is_refused():
    state = State()
    state.users["reader"] = ("pw", set())
    with PublisherServer(state) as server:
        report = run(server, user="reader", password="pw")
    assert report.exit_code == 2
    assert any(d.code == "TE711" and "group tei" in d.message for d in report.diagnostics)
    assert not server.state.documents


def test_odd_that_fails_to_compile_stops_before_any_edition():
    state = State(odd_errors=["elementSpec sp: behaviour blok unknown", "Compilation failed"])
    with PublisherServer(state) as server:
        report = run(server)
    assert report.exit_code == 1
    messages = [d.message for d in report.diagnostics if d.code == "TE712"]
    assert messages == ["elementSpec sp: behaviour blok unknown", "Compilation failed"]
    assert not server.state.documents
    assert {d.status for d in report.documents} == {"not sent"}


def test_missing_collection_is_created():
    state = State(collections=set())
    with PublisherServer(state) as server:
        report = run(server)
    assert report.exit_code == 0, report.lines()
    assert "playground" in server.state.collections and len(server.state.documents) == len(EDITIONS)


def test_missing_collection_that_cannot_be_created_fails():
    with PublisherServer(State(collections=set(), can_create=False)) as server:
        report = run(server)
    assert report.exit_code == 1
    assert any(d.code == "TE715" for d in report.diagnostics)
    assert not server.state.documents


def test_transient_failures_are_retried():
    state = State(transient={"POST /api/upload/": 2, "GET /api/version": 1})
    with PublisherServer(state) as server:
        report = run(server)
    assert report.exit_code == 0, report.lines()
    assert server.state.requests.count("GET /api/version") == 2


def test_retries_are_bounded():
    state = State(transient={"GET /api/version": 50})
    with PublisherServer(state) as server:
        report = run(server)
    assert report.exit_code == 1
    assert server.state.requests.count("GET /api/version") == 4  # the first try and three more


def test_half_published_is_said():
    state = State(store_fails={EDITIONS[1].name})
    with PublisherServer(state) as server:
        report = run(server)
    assert report.exit_code == 1
    assert [d.status for d in report.documents] == ["published", "failed"]
    incomplete = [d for d in report.diagnostics if d.code == "TE716"]
    assert len(incomplete) == 1 and EDITIONS[0].name in incomplete[0].message


def test_invalid_edition_is_refused_and_the_valid_one_sent(tmp_path: Path):
    bad = tmp_path / "bad.xml"
    bad.write_bytes(EDITIONS[0].read_bytes().replace(b"<body>", b"<body><bogus/>", 1))
    with PublisherServer() as server:
        report = run(server, [bad, EDITIONS[1]])
    assert report.exit_code == 1
    assert [d.status for d in report.documents] == ["invalid", "published"]
    assert "playground/bad.xml" not in server.state.documents


def test_prune_deletes_what_is_not_published():
    state = State()
    state.documents["playground/old.xml"] = b'<?teipublisher odd="teipublisher.odd"?><TEI/>'
    state.documents["elsewhere/keep.xml"] = b"<TEI/>"
    with PublisherServer(state) as server:
        report = run(server, prune=True)
    assert report.exit_code == 0, report.lines()
    assert "playground/old.xml" not in server.state.documents
    assert "elsewhere/keep.xml" in server.state.documents
    assert "DELETE /api/document/playground/old.xml" in server.state.requests
    assert [d.status for d in report.documents][-1] == "pruned"


def test_dry_run_contacts_no_server():
    with PublisherServer() as server:
        report = run(server, dry_run=True, prune=True)
    assert report.exit_code == 0
    assert server.state.requests == []
    assert {d.status for d in report.documents} == {"would publish"}


def test_cli_publishes_with_password_from_environment():
    with PublisherServer() as server:
        env = {**os.environ, "TP_PASSWORD": "secret"}
        result = CliRunner().invoke(main, ["publish", *map(str, EDITIONS), "--to", server.url, "--collection", "playground",
                                           "--user", "editor", "--password-env", "TP_PASSWORD", "--schema", str(SCHEMA)], env=env)
    assert result.exit_code == 0, result.output
    assert "2 published" in result.output
    assert f"ODD {ODD}: uploaded and compiled" in result.output


def test_cli_missing_password_variable_is_a_usage_error():
    result = CliRunner().invoke(main, ["publish", str(EDITIONS[0]), "--to", "http://127.0.0.1:9", "--collection", "c",
                                       "--user", "editor", "--password-env", "NO_SUCH_VARIABLE_HERE"])
    assert result.exit_code == 2


def test_login_cookie_is_what_authenticates():
    with PublisherServer() as server:
        client = _quick(server.url)
        client.connect()
        assert COOKIE in client.http.cookies
        client.close()


def test_odd_errors_read_from_html():
    page = ('<html><body><ul><li class="list-group-item success">web: ok</li>'
            '<li class="list-group-item danger">line 3: XPST0003 syntax error</li>'
            '<li><span class="danger">print failed</span></li></ul></body></html>')
    assert odd_errors(page) == ["line 3: XPST0003 syntax error", "print failed"]
    assert odd_errors("<html><body><ul><li class='success'>ok</li></ul></body></html>") == []
