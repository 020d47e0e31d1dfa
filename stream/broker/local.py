"""The embedded Apache Kafka broker: KRaft, 127.0.0.1, no Docker.

One folder per cluster under the state directory::

    <state>/broker/cluster.json           cluster id, nodes, ports, settings it was formatted with
    <state>/broker/node-<id>/server.properties, data/, server.log, stdout.log, pid

Each node is a combined broker+controller JVM started detached, so the broker outlives
the command that started it (``stream broker stop`` ends it). The data folder survives
restarts: topics, offsets and table changelogs are kept.
"""

from __future__ import annotations

import base64
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from stream.broker import jars

MAIN_CLASS = "kafka.Kafka"
STORAGE_TOOL = "kafka.tools.StorageTool"


class BrokerError(RuntimeError):
    """The local broker could not be started, reached or stopped; the message says why and what to do."""


@dataclass(frozen=True)
class Node:
    node_id: int
    port: int
    controller_port: int


def replication_for(nodes: int) -> int:
    """Copies of each partition on a local cluster of ``nodes``: one per node, at most three."""
    return min(3, max(nodes, 1))


def _free_block(count: int) -> int:
    """A base port with ``count`` consecutive free ports, below Linux's ephemeral range (32768+)
    so that no outgoing connection can take a planned port before its broker binds it."""
    for _ in range(200):
        base = random.randrange(20000, 32000 - count)
        if not any(_port_open(base + i) for i in range(count)):
            return base
    raise BrokerError("no free block of ports found between 20000 and 32000 on 127.0.0.1")


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _pid_alive(pid: int, marker: str) -> bool:
    """True while ``pid`` runs our broker (its command line names ``marker``; guards against reused pids).

    A JVM in the middle of exiting has an empty command line but may still hold the data
    folder's lock, so it counts as alive until it is a zombie; zombies of ours are reaped.
    """
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    # A JVM's main thread can exit (showing Z) while its other threads still run the broker.
    if fields["State"].strip().startswith("Z") and int(fields["Threads"]) <= 1:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        return False
    return not cmdline or (marker in cmdline and MAIN_CLASS in cmdline)


class LocalCluster:
    """A local KRaft cluster of ``nodes`` combined broker/controller processes."""

    def __init__(
        self,
        state_dir: Path,
        *,
        cache_dir: Path,
        maven_repo: str,
        nodes: int = 1,
        port: int = 9092,
        max_message_bytes: int = 10 * 1024 * 1024,
        partitions: int = 8,
        heap: str = "512m",
    ):
        self.root = Path(state_dir) / "broker"
        self.cache_dir = cache_dir
        self.maven_repo = maven_repo
        self.requested_nodes = nodes
        self.requested_port = port
        self.max_message_bytes = max_message_bytes
        self.partitions = partitions
        self.heap = heap

    # -- layout -----------------------------------------------------------------
    @property
    def meta_path(self) -> Path:
        return self.root / "cluster.json"

    def node_dir(self, node_id: int) -> Path:
        return self.root / f"node-{node_id}"

    def meta(self) -> dict | None:
        try:
            return json.loads(self.meta_path.read_text())
        except FileNotFoundError:
            return None

    def nodes(self) -> list[Node]:
        meta = self.meta()
        return [Node(**n) for n in meta["nodes"]] if meta else []

    def bootstrap(self) -> str:
        return ",".join(f"127.0.0.1:{n.port}" for n in self.nodes())

    def url(self) -> str:
        return ";".join(f"kafka://127.0.0.1:{n.port}" for n in self.nodes())

    # -- configuration ---------------------------------------------------------
    def _plan(self) -> dict:
        # node i listens on base+2i for clients and base+2i+1 for the controller quorum
        base = self.requested_port or _free_block(2 * self.requested_nodes)
        nodes = [
            {"node_id": i + 1, "port": base + 2 * i, "controller_port": base + 2 * i + 1}
            for i in range(self.requested_nodes)
        ]
        return {
            "cluster_id": _cluster_id(),
            "kafka_version": jars.load_lock()[0],
            "nodes": nodes,
            "max_message_bytes": self.max_message_bytes,
            "partitions": self.partitions,
        }

    def _properties(self, node: Node, meta: dict) -> str:
        count = len(meta["nodes"])
        replicas = replication_for(count)
        min_isr = 1 if count == 1 else 2
        voters = ",".join(f"{n['node_id']}@127.0.0.1:{n['controller_port']}" for n in meta["nodes"])
        size = meta["max_message_bytes"]
        props = {
            "process.roles": "broker,controller",
            "node.id": node.node_id,
            "controller.quorum.voters": voters,
            "listeners": f"PLAINTEXT://127.0.0.1:{node.port},CONTROLLER://127.0.0.1:{node.controller_port}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{node.port}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs": self.node_dir(node.node_id) / "data",
            "num.partitions": meta["partitions"],
            "default.replication.factor": replicas,
            "offsets.topic.replication.factor": replicas,
            "transaction.state.log.replication.factor": replicas,
            "transaction.state.log.min.isr": min_isr,
            "min.insync.replicas": min_isr,
            "message.max.bytes": size,
            "replica.fetch.max.bytes": size,
            "replica.fetch.response.max.bytes": max(size, 10 * 1024 * 1024),
            # Topics are created explicitly with their settings; a misspelt name fails loudly.
            "auto.create.topics.enable": "false",
            "unclean.leader.election.enable": "false",
            # A lone local group has nobody to wait for.
            "group.initial.rebalance.delay.ms": 0,
        }
        return "".join(f"{k}={v}\n" for k, v in props.items())

    # -- lifecycle ---------------------------------------------------------------
    def running_nodes(self) -> list[Node]:
        return [n for n in self.nodes() if self._pid(n) is not None]

    def _pid(self, node: Node) -> int | None:
        pid_file = self.node_dir(node.node_id) / "pid"
        try:
            pid = int(pid_file.read_text())
        except (FileNotFoundError, ValueError):
            return None
        return pid if _pid_alive(pid, str(self.node_dir(node.node_id))) else None

    def start(self, *, timeout: float = 90.0, quiet: bool = False) -> str:
        """Start every node that is not running; return the ``kafka://`` address once clients are served."""
        folder = jars.ensure_jars(self.cache_dir, self.maven_repo, quiet=quiet)
        meta = self.meta()
        if meta is None:
            meta = self._plan()
            self.root.mkdir(parents=True, exist_ok=True)
            self.meta_path.write_text(json.dumps(meta, indent=1))
        elif len(meta["nodes"]) != self.requested_nodes and not self.running_nodes():
            raise BrokerError(
                f"the local cluster in {self.root} was formatted with {len(meta['nodes'])} node(s), "
                f"not {self.requested_nodes}. Use --nodes {len(meta['nodes'])}, or remove it with "
                "`stream broker stop --delete` to start afresh (its topics are lost)."
            )
        for node in self.nodes():
            if self._pid(node) is None:
                self._start_node(node, meta, folder)
        self.wait_ready(timeout=timeout)
        return self.url()

    def _start_node(self, node: Node, meta: dict, folder: Path) -> None:
        home = self.node_dir(node.node_id)
        home.mkdir(parents=True, exist_ok=True)
        for port in (node.port, node.controller_port):
            if _port_open(port):
                raise BrokerError(
                    f"port {port} on 127.0.0.1 is taken by another program, so broker node {node.node_id} "
                    "cannot listen there. Stop that program, or set STREAM_LOCAL_BROKER_PORT and run "
                    "`stream broker stop --delete` to plan new ports."
                )
        config = home / "server.properties"
        config.write_text(self._properties(node, meta))
        java = _java()
        cp = jars.classpath(folder)
        if not (home / "data" / "meta.properties").exists():
            fmt = subprocess.run(
                [java, "-cp", cp, STORAGE_TOOL, "format", "-t", meta["cluster_id"], "-c", str(config)],
                capture_output=True,
                text=True,
            )
            if fmt.returncode != 0:
                raise BrokerError(f"formatting KRaft storage of node {node.node_id} failed:\n{fmt.stdout}{fmt.stderr}")
        log4j = resources.files("stream.broker").joinpath("log4j2.xml")
        cmd = [
            java,
            f"-Xmx{self.heap}",
            f"-Xms{self.heap}",
            "-XX:+UseG1GC",
            "-XX:MaxGCPauseMillis=20",
            "-Djava.awt.headless=true",
            f"-Dkafka.logs.dir={home}",
            f"-Dlog4j2.configurationFile={log4j}",
            "-cp",
            cp,
            MAIN_CLASS,
            str(config),
        ]
        with (home / "stdout.log").open("ab") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        (home / "pid").write_text(str(proc.pid))

    def wait_ready(self, *, timeout: float) -> None:
        """Block until every node accepts connections and the cluster lists them all."""
        from stream.kafka_io import cluster_node_ids  # local: keeps `stream broker status` light

        deadline = time.monotonic() + timeout
        expected = {n.node_id for n in self.nodes()}
        last_error = "no answer yet"
        while time.monotonic() < deadline:
            dead = [n for n in self.nodes() if self._pid(n) is None]
            if dead:
                raise BrokerError(
                    f"broker node {dead[0].node_id} exited during start-up. Last lines of its log:\n"
                    + self.log_tail(dead[0].node_id)
                )
            if all(_port_open(n.port) for n in self.nodes()):
                try:
                    if cluster_node_ids(self.bootstrap()) >= expected:
                        return
                    last_error = "not every node has registered yet"
                except Exception as exc:  # the broker is still coming up; report the last reason on timeout
                    last_error = f"{type(exc).__name__}: {exc}"
            time.sleep(0.3)
        raise BrokerError(f"the local broker did not become ready within {timeout:.0f}s ({last_error}); see {self.root}/node-*/server.log")

    def stop(self, *, timeout: float = 30.0, delete: bool = False) -> list[int]:
        """Stop every running node (SIGTERM to all at once, SIGKILL after ``timeout``); return their ids."""
        running = {n.node_id: pid for n in self.nodes() if (pid := self._pid(n)) is not None}
        for pid in running.values():
            os.kill(pid, signal.SIGTERM)
        self._wait_gone(running, timeout)
        if delete and self.root.exists():
            shutil.rmtree(self.root)
        return sorted(running)

    def stop_node(self, node_id: int, *, timeout: float = 30.0, sig: int = signal.SIGTERM) -> bool:
        """Stop one node (SIGKILL as ``sig`` simulates a crash); False if it was not running."""
        node = next(n for n in self.nodes() if n.node_id == node_id)
        pid = self._pid(node)
        if pid is None:
            return False
        os.kill(pid, sig)
        self._wait_gone({node_id: pid}, timeout)
        return True

    def _wait_gone(self, pids: dict[int, int], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        nodes = {n.node_id: n for n in self.nodes()}
        while time.monotonic() < deadline and any(self._pid(nodes[i]) for i in pids):
            time.sleep(0.2)
        for node_id, pid in pids.items():
            if self._pid(nodes[node_id]) is not None:
                os.kill(pid, signal.SIGKILL)
                while self._pid(nodes[node_id]) is not None:
                    time.sleep(0.1)
            (self.node_dir(node_id) / "pid").unlink(missing_ok=True)

    def status(self) -> dict:
        meta = self.meta()
        if meta is None:
            return {"state": "absent", "folder": str(self.root)}
        nodes = []
        for node in self.nodes():
            pid = self._pid(node)
            nodes.append(
                {
                    "node_id": node.node_id,
                    "address": f"kafka://127.0.0.1:{node.port}",
                    "pid": pid,
                    "running": pid is not None,
                    "accepting": pid is not None and _port_open(node.port),
                    "log": str(self.node_dir(node.node_id) / "server.log"),
                }
            )
        running = sum(n["running"] for n in nodes)
        state = "running" if running == len(nodes) else "stopped" if running == 0 else "degraded"
        return {
            "state": state,
            "url": self.url(),
            "kafka_version": meta["kafka_version"],
            "cluster_id": meta["cluster_id"],
            "folder": str(self.root),
            "data_bytes": _folder_size(self.root),
            "nodes": nodes,
        }

    def log_tail(self, node_id: int, lines: int = 20) -> str:
        home = self.node_dir(node_id)
        text = ""
        for name in ("stdout.log", "server.log"):
            path = home / name
            if path.exists():
                text += "".join(path.read_text(errors="replace").splitlines(keepends=True)[-lines:])
        return text or "(no log written)"


def _cluster_id() -> str:
    # KRaft wants a base64url-encoded 16-byte UUID without padding, as StorageTool random-uuid prints;
    # one starting with "-" would be read as an option by `kafka-storage format -t` (1 in 64).
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


def _java() -> str:
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if not java or not Path(java).exists():
        raise BrokerError("no `java` found: the embedded broker needs Java 17 or newer (set JAVA_HOME or put java on PATH)")
    return java


def _folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
