"""An article converted from a wire format: the analysis's ``Article`` plus where it came from.

The extra fields travel on ``articles.accepted`` (``schemas/article.json``) and reach
``articles.processed``, together with the extracted plain ``text`` that the offsets index.
They are part of the content hash, so a new version or a withdrawal is never mistaken for
an exact re-send.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from stream.analysis.article import Article

# Publication states as IPTC names them (ninjs pubstatus, NewsML-G2 stat:*); the last two retract.
USABLE, WITHHELD, CANCELED = "usable", "withheld", "canceled"


@dataclass(frozen=True)
class WireArticle(Article):
    format: str | None = None  # what the item was delivered as: ninjs, newsml-g2, rss, atom or html
    provider: str | None = None  # the provider's identifier as delivered (qcode, uri, feed address)
    version: str | None = None  # the item's version; a higher one of the same id is a revision
    located: str | None = None  # where the story was filed from, as the metadata says
    byline: str | None = None
    pubstatus: str | None = None  # usable, withheld or canceled

    @property
    def withdrawn(self) -> bool:
        """A kill: the provider canceled or withheld the item, so none of its events may stand."""
        return self.pubstatus in (WITHHELD, CANCELED)

    def provenance(self) -> dict:
        """What ``articles.processed`` adds for this article: the wire fields and the analysed text."""
        return {**{name: getattr(self, name) for name in WIRE_FIELDS}, "text": self.body}


WIRE_FIELDS = tuple(f.name for f in fields(WireArticle) if f.name not in {g.name for g in fields(Article)})


def provenance(article: Article) -> dict:
    """The wire fields and text of a converted article; nothing for one that arrived as our JSON."""
    return article.provenance() if isinstance(article, WireArticle) else {}


def is_withdrawn(article: Article) -> bool:
    return isinstance(article, WireArticle) and article.withdrawn


def status_of(value: str | None) -> str:
    """A publication status from ninjs ("canceled") or NewsML-G2 ("stat:canceled") spelling; usable if absent."""
    status = (value or USABLE).strip().lower().rpartition(":")[2]
    return "canceled" if status == "cancelled" else status


def notice_text(status: str, headline: str | None) -> str:
    """The text of a kill notice that came without one, so the withdrawal still has something to show."""
    return f"{status.capitalize()}: {headline}" if headline else f"This item was {status} by its provider."
