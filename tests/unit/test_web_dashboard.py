"""The dashboard page: escaped server-side values, a script that never writes markup, a strict CSP."""

from __future__ import annotations

import re

from stream.web import dashboard

HOSTILE = "<script>alert('x')</script>&\""


def test_web_dashboard_escapes_every_value_it_renders():
    page = dashboard.render(worker_id=HOSTILE, group=HOSTILE, extractor_version=HOSTILE, nonce="n0nce")
    assert HOSTILE not in page
    escaped = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;&quot;"
    assert page.count(escaped) == 4  # title, worker, group, extractor
    assert len(re.findall(r"<script\b", page)) == 1  # the page's own


def test_web_dashboard_script_and_style_carry_the_responses_nonce():
    nonce = dashboard.new_nonce()
    page = dashboard.render(worker_id="w", group="g", extractor_version="e", nonce=nonce)
    policy = dashboard.headers(nonce)["Content-Security-Policy"]
    assert f'<script nonce="{nonce}">' in page and f'<style nonce="{nonce}">' in page
    assert f"script-src 'nonce-{nonce}'" in policy and "default-src 'none'" in policy
    assert "connect-src 'self'" in policy and "unsafe" not in policy
    assert dashboard.new_nonce() != nonce


def test_web_dashboard_script_puts_text_in_with_text_content_only():
    # Article text reaches the page through this script: it must never parse a string as markup.
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in dashboard.SCRIPT, sink
    assert "textContent" in dashboard.SCRIPT


def test_web_dashboard_loads_nothing_from_elsewhere():
    page = dashboard.render(worker_id="w", group="g", extractor_version="e", nonce="n")
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    assert "http://" not in dashboard.SCRIPT.replace("http://www.w3.org/2000/svg", "")


def test_web_dashboard_links_the_history_browser_only_when_set_and_http():
    def render(url):
        return dashboard.render(worker_id="w", group="g", extractor_version="e", nonce="n", history_url=url)

    assert 'id="history"' not in render("")
    assert 'href="http://127.0.0.1:8001/demo-events"' in render("http://127.0.0.1:8001/demo-events")
    assert 'id="history"' not in render("javascript:alert(1)")
    assert HOSTILE not in render("https://x/" + HOSTILE)
