"""The local broker with SASL/SCRAM over TLS: certificates, SCRAM users and the SASL_SSL listener.

Clients (the worker, the CLI) reach it on ``secure_url()`` with ``STREAM_SECURITY_PROTOCOL=SASL_SSL``,
``STREAM_SASL_MECHANISM=SCRAM-SHA-512`` and ``STREAM_SSL_CAFILE`` the generated CA. The broker keeps its
PLAINTEXT listener on 127.0.0.1 for its own controller and inter-broker traffic and for readiness checks.
SCRAM users are written into the KRaft storage when it is formatted (``--add-scram``).
"""

from __future__ import annotations

import datetime
import ipaddress
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from stream.broker import jars
from stream.broker.local import STORAGE_TOOL, BrokerError, LocalCluster, Node, _free_block, _java

MECHANISM = "SCRAM-SHA-512"


@dataclass(frozen=True)
class TlsFiles:
    ca: Path  # the CA certificate (PEM): clients' STREAM_SSL_CAFILE
    keystore: Path  # the broker's private key (PKCS#8) and certificate chain (PEM)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_certificates(folder: Path, hosts: tuple[str, ...] = ("127.0.0.1", "localhost"), days: int = 2) -> TlsFiles:
    """A throw-away CA and a broker certificate for ``hosts`` signed by it, as PEM files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())

    def certificate(subject: str, public_key, issuer: str, extensions) -> x509.Certificate:
        builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
                   .public_key(public_key).serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=5))
                   .not_valid_after(now + datetime.timedelta(days=days)))
        for extension, critical in extensions:
            builder = builder.add_extension(extension, critical=critical)
        return builder.sign(ca_key, hashes.SHA256())

    ca = certificate("conflict-stream test CA", ca_key.public_key(), "conflict-stream test CA",
                     [(x509.BasicConstraints(ca=True, path_length=0), True)])
    names = [x509.IPAddress(ipaddress.ip_address(h)) if h[0].isdigit() else x509.DNSName(h) for h in hosts]
    broker = certificate("conflict-stream local broker", key.public_key(), "conflict-stream test CA",
                         [(x509.BasicConstraints(ca=False, path_length=None), True),
                          (x509.SubjectAlternativeName(names), False)])
    files = TlsFiles(folder / "ca.pem", folder / "broker.pem")
    files.ca.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files.keystore.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        + broker.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM))
    files.keystore.chmod(0o600)
    return files


class SecureCluster(LocalCluster):
    """A one-node local broker that also serves clients over SASL_SSL with SCRAM-SHA-512 users."""

    def __init__(self, state_dir: Path, *, tls: TlsFiles, users: dict[str, str], **kwargs):
        super().__init__(state_dir, nodes=1, **kwargs)
        self.tls = tls
        self.users = users

    def secure_url(self) -> str:
        return f"kafka://127.0.0.1:{self.meta()['secure_port']}"

    def _plan(self) -> dict:
        plan = super()._plan()
        planned = {port for node in plan["nodes"] for port in (node["port"], node["controller_port"])}
        return {**plan, "secure_port": next(port for port in iter(lambda: _free_block(1), None)
                                            if port not in planned)}

    def _properties(self, node: Node, meta: dict) -> str:
        secure = f"SASL_SSL://127.0.0.1:{meta['secure_port']}"
        props = {  # later keys win: these replace the plain broker's listeners
            "listeners": f"PLAINTEXT://127.0.0.1:{node.port},CONTROLLER://127.0.0.1:{node.controller_port},{secure}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{node.port},{secure}",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL",
            "sasl.enabled.mechanisms": MECHANISM,
            # the broker checks clients' SCRAM proofs against the users in its metadata; it logs in as nobody
            f"listener.name.sasl_ssl.{MECHANISM.lower()}.sasl.jaas.config":
                "org.apache.kafka.common.security.scram.ScramLoginModule required;",
            "ssl.keystore.type": "PEM",
            "ssl.keystore.location": self.tls.keystore,
            "ssl.truststore.type": "PEM",
            "ssl.truststore.location": self.tls.ca,
            "ssl.client.auth": "none",
        }
        return super()._properties(node, meta) + "".join(f"{k}={v}\n" for k, v in props.items())

    def _start_node(self, node: Node, meta: dict, folder: Path) -> None:
        home = self.node_dir(node.node_id)
        if not (home / "data" / "meta.properties").exists():  # format with the users; the base class then won't
            home.mkdir(parents=True, exist_ok=True)
            config = home / "server.properties"
            config.write_text(self._properties(node, meta))
            scram = [arg for name, password in self.users.items()
                     for arg in ("--add-scram", f"{MECHANISM}=[name={name},password={password}]")]
            fmt = subprocess.run([_java(), "-cp", jars.classpath(folder), STORAGE_TOOL, "format", "-t",
                                  meta["cluster_id"], "-c", str(config), *scram], capture_output=True, text=True)
            if fmt.returncode != 0:
                raise BrokerError(f"formatting KRaft storage with SCRAM users failed:\n{fmt.stdout}{fmt.stderr}")
        super()._start_node(node, meta, folder)
