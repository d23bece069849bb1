"""Browser tests: the demo network served by gunicorn, driven through Debian's Chromium.

They run in `make test` with the rest of the suite (marker ``browser``); `make test-browser`
runs only them. Debian's Chromium at /usr/bin/chromium and axe-core from npm (the path in
``AMTSHILFE_AXE_PATH``, installed by ``.ci/run``) are needed; without them the tests are
skipped, unless ``AMTSHILFE_BROWSER_TESTS_REQUIRED=1`` (as in CI) turns the skip into a failure.
"""
