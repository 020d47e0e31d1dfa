"""The ``/dashboard`` page: server-rendered HTML whose one script polls ``/api/stats`` and ``/api/recent``.

No build step and nothing from the network: the style and script are inlined from ``static/``.
A per-response nonce lets only them run (Content-Security-Policy), a second line of defence
behind escaping: article text never reaches the page as markup.
"""

from __future__ import annotations

import secrets
from html import escape
from importlib import resources
from string import Template

from stream.web.world import countries_svg


def _static(name: str) -> str:
    return resources.files("stream.web").joinpath("static", name).read_text(encoding="utf-8")


PAGE = Template(_static("dashboard.html"))
STYLE = _static("dashboard.css")
SCRIPT = _static("dashboard.js")


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def render(*, worker_id: str, group: str, extractor_version: str, nonce: str, history_url: str = "") -> str:
    history = (f'<a id="history" href="{escape(history_url)}" rel="noopener">history (all events)</a>'
               if history_url.startswith(("http://", "https://")) else "")
    return PAGE.substitute(worker=escape(worker_id), group=escape(group), extractor=escape(extractor_version),
                           nonce=nonce, style=STYLE, script=SCRIPT, history=history,
                           countries=countries_svg())


def headers(nonce: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": (f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; "
                                    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }
