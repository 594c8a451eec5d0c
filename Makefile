# The two set-up commands of the README: `make build` (the main job, and the web edition in site/) and `make test`.
PY ?= python3

.PHONY: setup build site test bench schema

setup:
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@command -v jing >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jing >/dev/null) \
	      || echo "jing could not be installed: tests that need it will be skipped"; \
	  else echo "jing is not installed (Debian package jing): tests that need it will be skipped"; fi; }
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium could not be installed: the browser tests of the site will be skipped"; \
	  else echo "chromium is not installed (Debian package chromium): the browser tests of the site will be skipped"; fi; }

build: setup
	$(PY) -m tei_encoder build
	$(PY) -m tei_encoder site editions --out site

site: setup
	$(PY) -m tei_encoder site editions --out site

test: setup
	$(PY) -m pytest -q

bench: setup
	$(PY) bench/convert.py

# After editing schema/tei_encoder.odd (the source of truth): compile it, and copy the three
# files into the package, which ships them as the default schema in any folder.
schema: setup
	$(PY) -m tei_encoder schema compile schema/tei_encoder.odd -o schema
	cp schema/tei_encoder.odd schema/tei_encoder.rng schema/tei_encoder.sch src/tei_encoder/schema/
