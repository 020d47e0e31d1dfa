"""Readable, coloured lines for claims on a terminal (``stream tail``, ``stream demo``)."""

from __future__ import annotations

from rich.text import Text

_STATUS_COLOUR = {"killed": "bold red", "injured": "yellow", "missing": "magenta", "kidnapped": "magenta",
                  "arrested": "cyan", "displaced": "blue"}


def _when_where(claim: dict) -> str:
    time = claim.get("time") or {}
    place = (claim.get("location") or {}).get("text")
    when = time.get("date") or "?"
    if time.get("precision") not in (None, "day"):
        when += f" ({time['precision']})"
    return f"{when}{' in ' + place if place else ''}"


def _flags(claim: dict) -> str:
    flags = [claim["certainty"]] if claim.get("certainty") not in (None, "asserted") else []
    flags += [name for name in ("historical", "background") if claim.get(name)]
    if claim.get("counted") is False:
        flags.append(f"not counted: {claim['not_counted_reason']}")
    return f" [{', '.join(flags)}]" if flags else ""


def describe_casualty(claim: dict) -> Text:
    count = claim.get("count") or {}
    figure = "?" if not count else str(count["best"]) + ("+" if count.get("max") is None else "")
    victims = (claim.get("victims") or {}).get("text") or (claim.get("victims") or {}).get("kind") or "people"
    by = f" by {claim['perpetrator']['text']}" if claim.get("perpetrator") else ""
    says = f" - {claim['attribution']['text']}" if claim.get("attribution") else ""
    line = Text.from_markup(f"[{_STATUS_COLOUR.get(claim['status'], 'white')}]{claim['status'].upper():9}[/] ")
    line.append(f"{figure} {victims}{by}, {_when_where(claim)}{says}{_flags(claim)}")
    return line


def describe_attack(claim: dict) -> Text:
    actor = (claim.get("actor") or {}).get("canonical") or (claim.get("actor") or {}).get("text") or "unknown actor"
    target = f" on {claim['target']['text']}" if claim.get("target") else ""
    claimed = f", claimed by {claim['claimed_by']['text']}" if claim.get("claimed_by") else ""
    line = Text.from_markup(f"[bold orange3]{claim['attack_type'].upper():9}[/] ")
    line.append(f"{actor}{target}, {_when_where(claim)}{claimed}{_flags(claim)}")
    return line


def describe(topic: str, value: dict | None) -> Text:
    """One line for any message of the project's topics."""
    if value is None:
        return Text("(tombstone)")
    article = value.get("article_id")
    if value.get("retracted"):
        return Text(f"RETRACTED {value['event_id']} ({value.get('reason', 'revised')}: article {article}, "
                    f"revision {value['revision']})", style="dim")
    if topic.endswith("events.casualties"):
        return describe_casualty(value)
    if topic.endswith("events.attacks"):
        return describe_attack(value)
    if topic.endswith("articles.deadletter"):
        return Text(f"DEAD LETTER {value['reason']}: {value['message']} (article {value.get('article_id')})",
                    style="red")
    if topic.endswith("articles.processed"):
        totals = ", ".join(f"{k} {v['best']}" for k, v in value["totals"].items()) or "no casualty totals"
        return Text(f"PROCESSED {value['article_id']} r{value['revision']}: {len(value['casualties'])} casualty, "
                    f"{len(value['attacks'])} attack claims; totals: {totals}", style="green")
    if topic.endswith("articles.sentences"):
        return Text(f"{value['article_id']}#{value['index']} [{value['kind']}] {value['text']}")
    if topic.endswith("articles.entities"):
        ents = ", ".join(f"{e['text']}/{e['label']}" for e in value["entities"][:12])
        return Text(f"{value['article_id']}: {ents}")
    return Text(str(value))
