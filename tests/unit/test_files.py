"""Tests for stream.ingest.files: articles from .txt/.json/.jsonl/.xml/.html files, directories and stdin."""
import hashlib
import io
import sys
from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest

from stream.ingest.files import InputError, RawItem, read_items

STORY = "Drones struck a fuel depot outside Kharkiv overnight.\n\nFirefighters worked until dawn, officials said."


def items(target, **kwargs):
    return list(read_items(str(target), **kwargs))


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def stdin(monkeypatch, data):
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(data)))


# --- .txt ---------------------------------------------------------------------

def test_files_txt_title_line_then_body(tmp_path):
    path = write(tmp_path / "kharkiv-depot.txt", "Drones hit fuel depot near Kharkiv\n" + STORY + "\n")
    [item] = items(path, published_at="2024-10-22T06:00:00+03:00")
    assert item.key == b"kharkiv-depot"
    assert item.origin == "kharkiv-depot"
    assert orjson.loads(item.value) == {
        "id": "kharkiv-depot",
        "title": "Drones hit fuel depot near Kharkiv",
        "body": STORY,
        "source": None,
        "published_at": "2024-10-22T06:00:00+03:00",
    }


def test_files_txt_without_published_at_leaves_it_out(tmp_path):
    path = write(tmp_path / "depot.txt", "Depot fire\n" + STORY)
    [item] = items(path)
    assert "published_at" not in orjson.loads(item.value)


def test_files_txt_blank_title_line_is_null(tmp_path):
    path = write(tmp_path / "untitled.txt", "   \n" + STORY)
    value = orjson.loads(items(path)[0].value)
    assert value["title"] is None
    assert value["body"] == STORY


def test_files_txt_not_utf8_raises(tmp_path):
    path = write(tmp_path / "latin1.txt", "Caf\xe9 bombed\nBody".encode("latin-1"))
    with pytest.raises(InputError, match="latin1.txt"):
        items(path)


# --- .json --------------------------------------------------------------------

def test_files_json_object_passes_original_bytes(tmp_path):
    data = b'{"id": "kh-1", "body": "Drones struck a depot.", "feed_code": 7}\n'
    path = write(tmp_path / "one.json", data)
    assert items(path) == [RawItem(str(path), data.strip(), b"kh-1")]


def test_files_json_array_yields_each_item(tmp_path):
    arts = [{"id": "kh-1", "body": "Drones struck a depot."}, {"id": "kh-2", "body": "Sirens sounded again."}]
    path = write(tmp_path / "many.json", orjson.dumps(arts, option=orjson.OPT_INDENT_2))
    got = items(path)
    assert [orjson.loads(i.value) for i in got] == arts
    assert [i.key for i in got] == [b"kh-1", b"kh-2"]
    assert [i.origin for i in got] == [f"{path}[1]", f"{path}[2]"]


def test_files_json_array_item_without_id_has_no_key(tmp_path):
    path = write(tmp_path / "many.json", b'[{"body": "no id here"}, 17]')
    assert [i.key for i in items(path)] == [None, None]


# --- .jsonl -------------------------------------------------------------------

def test_files_jsonl_skips_blank_lines_and_keeps_broken_ones(tmp_path):
    broken = b'{"id": "kh-3", "body": "Shelling contin'
    data = (b'{"id": "kh-1", "body": "Drones struck a depot."}\n'
            b"\n"
            b"   \n"
            + broken + b"\n"
            b'{"id": 44, "body": "numeric id"}\n'
            b'{"id": "kh-2", "body": "Sirens sounded again."}\n')
    path = write(tmp_path / "feed.jsonl", data)
    got = items(path)
    assert [i.origin for i in got] == [f"{path}:1", f"{path}:4", f"{path}:5", f"{path}:6"]
    assert got[1] == RawItem(f"{path}:4", broken, None)
    assert [i.key for i in got] == [b"kh-1", None, None, b"kh-2"]
    assert got[0].value == b'{"id": "kh-1", "body": "Drones struck a depot."}'


# --- directories --------------------------------------------------------------

def test_files_directory_is_sorted_recursive_and_filtered(tmp_path):
    write(tmp_path / "b-story.txt", "Title B\nBody B.")
    write(tmp_path / "a-feed.json", b'{"id": "a1", "body": "Body A."}')
    write(tmp_path / "sub" / "c-feed.jsonl", b'{"id": "c1", "body": "Body C1."}\n{"id": "c2", "body": "Body C2."}\n')
    write(tmp_path / "notes.md", "not an article")
    write(tmp_path / "export.csv", "id,body\nx,y\n")
    write(tmp_path / "sub" / "README", "nothing")
    got = items(tmp_path)
    assert [i.key for i in got] == [b"a1", b"b-story", b"c1", b"c2"]


def test_files_empty_directory_yields_nothing(tmp_path):
    assert items(tmp_path) == []


# --- stdin --------------------------------------------------------------------

def test_files_stdin_json_lines(monkeypatch):
    stdin(monkeypatch, b'{"id": "s1", "body": "First report."}\n\n{"id": "s2", "body": "Second report."}\n')
    got = items("-")
    assert [i.key for i in got] == [b"s1", b"s2"]
    assert [i.origin for i in got] == ["<stdin>:1", "<stdin>:3"]


def test_files_stdin_json_array(monkeypatch):
    stdin(monkeypatch, b'  [{"id": "s1", "body": "First."}, {"id": "s2", "body": "Second."}]')
    assert [i.key for i in items("-")] == [b"s1", b"s2"]


def test_files_stdin_json_object(monkeypatch):
    stdin(monkeypatch, b'\n{"id": "s1", "body": "Only one."}\n')
    assert items("-") == [RawItem("<stdin>", b'{"id": "s1", "body": "Only one."}', b"s1")]


def test_files_stdin_plain_text(monkeypatch):
    data = ("Kharkiv depot burns\n" + STORY + "\n").encode()
    stdin(monkeypatch, data)
    [item] = items("-", published_at="2024-10-22")
    ident = "stdin-" + hashlib.sha256(data).hexdigest()[:16]
    assert item.key == ident.encode()
    assert orjson.loads(item.value) == {"id": ident, "title": "Kharkiv depot burns", "body": STORY,
                                        "source": None, "published_at": "2024-10-22"}


def test_files_stdin_empty_yields_nothing(monkeypatch):
    stdin(monkeypatch, b"  \n\n")
    assert items("-") == []


# --- errors -------------------------------------------------------------------

def test_files_missing_path_raises(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        items(tmp_path / "nowhere.json")


@pytest.mark.parametrize("name", ["feed.csv", "feed.pdf", "feed"])
def test_files_unknown_suffix_raises(tmp_path, name):
    path = write(tmp_path / name, b'{"id": "x", "body": "y"}')
    with pytest.raises(InputError, match="unknown kind of file"):
        items(path)


# --- wire formats ---------------------------------------------------------------

WIRE = Path(__file__).resolve().parents[1] / "fixtures" / "wire"


def test_files_xml_is_passed_as_is_keyed_by_guid():
    path = WIRE / "newsml-khan-younis-1.xml"
    assert items(path) == [RawItem(str(path), path.read_bytes(), b"tag:agency.example.com,2026:newsml_L8N3KY1022")]


def test_files_broken_xml_is_passed_unkeyed_for_the_worker_to_reject():
    path = WIRE / "hostile-billion-laughs.xml"
    assert items(path) == [RawItem(str(path), path.read_bytes(), None)]


def test_files_ninjs_json_is_keyed_by_its_uri():
    (item,) = items(WIRE / "ninjs2-sahel-1.json")
    assert item.key == b"http://wire.example.net/items/2026/sahel-village-attack"
    assert item.value == (WIRE / "ninjs2-sahel-1.json").read_bytes().strip()


def test_files_html_page_becomes_an_article(tmp_path):
    page = ("<html lang='en'><head><title>Strike on depot</title></head><body><nav>Home | World</nav><article>"
            "<h1>Strike on depot</h1><p>Drones struck a fuel depot outside Kharkiv overnight, starting a fire that "
            "burned until dawn, officials said on Wednesday.</p><p>Firefighters worked through the night to contain "
            "the blaze, which sent black smoke over the eastern districts.</p></article></body></html>")
    (item,) = items(write(tmp_path / "depot-strike.html", page), published_at="2026-03-12")
    article = orjson.loads(item.value)
    assert item.key == b"depot-strike"
    assert article["title"] == "Strike on depot" and article["format"] == "html"
    assert article["body"].startswith("Drones struck a fuel depot") and "\n\nFirefighters" in article["body"]
    assert (article["published_at"], article["language"]) == ("2026-03-12", "en")


def test_files_html_page_without_text_raises(tmp_path):
    with pytest.raises(InputError, match="no article text"):
        items(write(tmp_path / "empty.html", "<html><body><script>app()</script></body></html>"))


def test_files_stdin_xml_is_passed_as_is(monkeypatch):
    data = (WIRE / "newsml-khan-younis-1.xml").read_bytes()
    stdin(monkeypatch, data)
    assert items("-") == [RawItem("<stdin>", data, b"tag:agency.example.com,2026:newsml_L8N3KY1022")]
