"""The embedded broker's jars: downloaded once from Maven Central, checked against pinned SHA-256s.

The list (``kafka-jars.json``) is the runtime closure of ``org.apache.kafka:kafka_2.13``
as Maven resolved it (``python -m stream.broker.lock``). The cache lives outside the
repository (``STREAM_CACHE_DIR``); a jar is written under a temporary name and only
renamed into place once its hash matches, so an interrupted download is never used.
"""

from __future__ import annotations

import hashlib
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

CHUNK = 256 * 1024


class JarDownloadError(RuntimeError):
    """A jar could not be fetched or did not match its pinned checksum."""


@dataclass(frozen=True)
class Jar:
    group: str
    artifact: str
    version: str
    size: int
    sha256: str

    @property
    def filename(self) -> str:
        return f"{self.artifact}-{self.version}.jar"

    def url(self, repo: str) -> str:
        return f"{repo.rstrip('/')}/{self.group.replace('.', '/')}/{self.artifact}/{self.version}/{self.filename}"


def load_lock() -> tuple[str, list[Jar]]:
    data = json.loads(resources.files("stream.broker").joinpath("kafka-jars.json").read_text())
    return data["kafka_version"], [Jar(**j) for j in data["jars"]]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fetch(jar: Jar, repo: str, dest: Path, progress: Progress, task) -> None:
    tmp = dest.with_suffix(".part")
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(jar.url(repo), timeout=60) as resp, tmp.open("wb") as out:
            for chunk in iter(lambda: resp.read(CHUNK), b""):
                digest.update(chunk)
                out.write(chunk)
                progress.advance(task, len(chunk))
    except (urllib.error.URLError, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise JarDownloadError(
            f"could not download {jar.url(repo)}: {exc}. Check the network or set STREAM_MAVEN_REPO to a mirror."
        ) from exc
    if digest.hexdigest() != jar.sha256:
        tmp.unlink(missing_ok=True)
        raise JarDownloadError(
            f"{jar.filename}: SHA-256 {digest.hexdigest()} does not match the pinned {jar.sha256}; "
            "the download was discarded. A mirror serving other bytes is not trusted."
        )
    os.replace(tmp, dest)


def ensure_jars(cache_dir: Path, repo: str, *, quiet: bool = False) -> Path:
    """Return the folder holding every pinned jar, downloading what is missing."""
    version, jars = load_lock()
    folder = cache_dir / f"kafka-{version}"
    folder.mkdir(parents=True, exist_ok=True)
    missing = [j for j in jars if not (folder / j.filename).is_file() or (folder / j.filename).stat().st_size != j.size]
    if not missing:
        return folder
    columns = (TextColumn("[bold]Kafka {task.fields[version]} jars"), BarColumn(), DownloadColumn(), TransferSpeedColumn())
    with Progress(*columns, disable=quiet, transient=False) as progress:
        task = progress.add_task("download", total=sum(j.size for j in missing), version=version)
        for jar in missing:
            _fetch(jar, repo, folder / jar.filename, progress, task)
    return folder


def verify_jars(folder: Path) -> list[str]:
    """Names of cached jars whose hash no longer matches (empty when all is well)."""
    _, jars = load_lock()
    return [j.filename for j in jars if not (folder / j.filename).is_file() or _sha256(folder / j.filename) != j.sha256]


def classpath(folder: Path) -> str:
    _, jars = load_lock()
    return os.pathsep.join(str(folder / j.filename) for j in jars)
