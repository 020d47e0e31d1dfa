"""Regenerate the pinned jar list of the embedded broker (maintainers only).

    python -m stream.broker.lock 4.1.2 > stream/broker/kafka-jars.json

Maven resolves the runtime closure of ``org.apache.kafka:kafka_2.13`` from a
one-dependency POM (plus the log4j binding the distribution ships, so the broker
writes a log); we record each jar's coordinates, size and SHA-256. Users never run
Maven: ``stream.broker.jars`` downloads exactly this list and checks every hash.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

LOG4J_VERSION = "2.24.3"

POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local</groupId><artifactId>kafka-closure</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>{kafka}</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>{log4j}</version></dependency>
  </dependencies>
</project>
"""


def resolve(kafka_version: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "pom.xml").write_text(POM.format(kafka=kafka_version, log4j=LOG4J_VERSION))
        subprocess.run(
            [
                "mvn", "-q", "-B", "dependency:list", "-DincludeScope=runtime",
                "-DoutputAbsoluteArtifactFilename=true", "-DoutputFile=deps.txt",
            ],
            cwd=work,
            check=True,
            stdout=sys.stderr,  # keep stdout for the JSON
        )
        jars = []
        # lines look like "   group:artifact:jar:version:scope:/abs/path.jar"
        for line in sorted((work / "deps.txt").read_text().splitlines()):
            parts = line.strip().split(":")
            if len(parts) < 6 or parts[2] != "jar":
                continue
            data = Path(":".join(parts[5:])).read_bytes()
            jars.append(
                {
                    "group": parts[0],
                    "artifact": parts[1],
                    "version": parts[3],
                    "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                }
            )
    return {"kafka_version": kafka_version, "scala_version": "2.13", "jars": jars}


if __name__ == "__main__":
    version = sys.argv[1] if len(sys.argv) > 1 else "4.1.2"
    json.dump(resolve(version), sys.stdout, indent=1)
    sys.stdout.write("\n")
