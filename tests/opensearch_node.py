"""Real OpenSearch nodes on 127.0.0.1, for the backend's tests and benchmarks.

The node is OpenSearch's own integration-test distribution, a zip on Maven Central
(``org.opensearch.distribution.integ-test-zip:opensearch``): Maven puts it in ``~/.m2``
once, it is unpacked once under ``~/.cache/depeches``, and each node gets a folder of
its own for its configuration, data and logs. Nothing is read from anywhere but Maven
Central, and a second run downloads nothing.

That zip has the HTTP transport and no analysis: the stock ``french`` analyzer, which
the index keeps a field of for comparison, is in the ``analysis-common`` module, which
extends ``lang-painless``. Both are added to the unpacked distribution as the full one
ships them, a folder of jars from Maven Central with a descriptor (see :data:`MODULES`).

    python tests/opensearch_node.py start DIR [--nodes 2]   # prints each node's URL
    python tests/opensearch_node.py stop DIR

OpenSearch 2.19 runs on Java 11 to 23 (Java 24 and later dropped the security manager
it needs); :func:`java_home` finds one. It refuses to run as root, which CI is: with
JNA's native library kept unloaded (the three ``-Djna`` flags), the root check is
skipped with a warning, and nothing we use needs JNA.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

VERSION = "2.19.6"
ARTIFACT = f"org.opensearch.distribution.integ-test-zip:opensearch:{VERSION}:zip"
CACHE = Path(os.environ.get("DEPECHES_CACHE", Path.home() / ".cache/depeches"))
HEAP = "512m"
"""Per node: a 5,000-article index needs far less, and two nodes fit beside the suite."""
START_TIMEOUT = 120.0


MODULES = {
    # Folder: (its plugin class, the plugin it extends, its jars as Maven coordinates,
    # and the permissions its code asks for under the node's security manager).
    "lang-painless": (
        "org.opensearch.painless.PainlessPlugin", "",
        [f"org.opensearch.plugin:lang-painless:{VERSION}",
         f"org.opensearch.plugin:opensearch-scripting-painless-spi:{VERSION}",
         "org.antlr:antlr4-runtime:4.13.1",
         *(f"org.ow2.asm:{a}:9.7"
           for a in ("asm", "asm-util", "asm-tree", "asm-commons", "asm-analysis"))],
        # It compiles scripts into classes of its own loader.
        ['java.lang.RuntimePermission "createClassLoader"',
         'java.lang.RuntimePermission "getClassLoader"']),
    "analysis-common": (
        "org.opensearch.analysis.common.CommonAnalysisPlugin", "lang-painless",
        [f"org.opensearch.plugin:analysis-common:{VERSION}"], []),
}
"""The modules the integ-test zip lacks, as the full distribution lays them out (the
jars its POMs name: the server's own are already in ``lib/`` and must not be twice)."""


class Unavailable(Exception):
    """No node can run here: no suitable Java, or no way to fetch the distribution."""


def java_home() -> Path:
    """A JDK that OpenSearch 2.19 runs on: ``DEPECHES_JAVA_HOME``, ``JAVA_HOME``, or one
    under ``/usr/lib/jvm``, the newest of major versions 11 to 23."""
    named = [os.environ.get("DEPECHES_JAVA_HOME"), os.environ.get("JAVA_HOME")]
    found = [Path(p) for p in named if p]
    jvm = Path("/usr/lib/jvm")
    if jvm.is_dir():
        found += sorted(jvm.iterdir(), key=lambda p: java_major(p) or 0, reverse=True)
    for home in found:
        major = java_major(home)
        if major is not None and 11 <= major <= 23 and (home / "bin/java").exists():
            return home
    raise Unavailable("no Java 11 to 23 for OpenSearch 2.19 "
                      "(set DEPECHES_JAVA_HOME; Java 24 and later cannot run it)")


def java_major(home: Path) -> int | None:
    """The major version of the JDK at ``home``, read from its ``release`` file."""
    try:
        text = (home / "release").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = re.search(r'^JAVA_VERSION="(?:1\.)?(\d+)', text, re.MULTILINE)
    return int(match.group(1)) if match else None


def distribution() -> Path:
    """The unpacked distribution (its ``bin/opensearch``), fetched and unpacked once."""
    home = CACHE / f"opensearch-{VERSION}"
    if not (home / "bin/opensearch").exists():
        _unpack(home)
    for name in MODULES:
        if not (home / "modules" / name / "plugin-descriptor.properties").exists():
            _add_module(home, name)
    return home


def _unpack(home: Path) -> None:
    zipped = _fetch()
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = CACHE / f".unpack-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    with zipfile.ZipFile(zipped) as z:
        z.extractall(tmp)
    for script in (tmp / f"opensearch-{VERSION}/bin").iterdir():
        script.chmod(0o755)  # zipfile drops the modes
    try:
        (tmp / f"opensearch-{VERSION}").rename(home)  # atomic: another run may race us
    except OSError:
        if not (home / "bin/opensearch").exists():
            raise
    shutil.rmtree(tmp, ignore_errors=True)


def _add_module(home: Path, name: str) -> None:
    """One of :data:`MODULES` into ``home/modules``: its jars, descriptor and policy."""
    classname, extends, jars, permissions = MODULES[name]
    # Assembled beside the modules, not among them: a node reads every folder there.
    tmp = home / f".module-{name}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for coordinates in jars:
        jar = _fetch(coordinates)
        shutil.copyfile(jar, tmp / jar.name)
    descriptor = {"description": f"{name}, as the OpenSearch distribution ships it",
                  "version": VERSION, "name": name, "classname": classname,
                  "java.version": "11", "opensearch.version": VERSION,
                  "custom.foldername": "", "extended.plugins": extends,
                  "has.native.controller": "false"}
    (tmp / "plugin-descriptor.properties").write_text(
        "".join(f"{k}={v}\n" for k, v in descriptor.items()), encoding="utf-8")
    if permissions:
        grants = "".join(f"  permission {p};\n" for p in permissions)
        (tmp / "plugin-security.policy").write_text(f"grant {{\n{grants}}};\n",
                                                    encoding="utf-8")
    try:
        tmp.rename(home / "modules" / name)  # atomic: another run may race us
    except OSError:
        if not (home / "modules" / name / "plugin-descriptor.properties").exists():
            raise
    shutil.rmtree(tmp, ignore_errors=True)


def _fetch(coordinates: str = ARTIFACT) -> Path:
    """An artifact (``group:name:version[:type]``) in ``~/.m2``, by Maven when it is
    installed, else straight from Maven Central, checked against its SHA-1."""
    group, artifact, version, *kind = coordinates.split(":")
    folder = Path.home() / ".m2/repository" / group.replace(".", "/") / artifact / version
    local = folder / f"{artifact}-{version}.{kind[0] if kind else 'jar'}"
    if local.exists():
        return local
    if shutil.which("mvn"):
        run = subprocess.run(["mvn", "-q", "-B", "dependency:get", f"-Dartifact={coordinates}",
                              "-Dtransitive=false"], capture_output=True, text=True,
                             timeout=900)
        if run.returncode == 0 and local.exists():
            return local
    url = ("https://repo1.maven.org/maven2/"
           + str(local.relative_to(Path.home() / ".m2/repository")))
    import hashlib

    try:
        with urllib.request.urlopen(url + ".sha1", timeout=60) as r:
            sha1 = r.read().decode().split()[0]
        folder.mkdir(parents=True, exist_ok=True)
        part = local.with_suffix(".part")
        digest = hashlib.sha1()
        with urllib.request.urlopen(url, timeout=60) as r, part.open("wb") as out:
            while chunk := r.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
    except (OSError, urllib.error.URLError) as e:
        raise Unavailable(f"cannot fetch {coordinates} from Maven Central: {e}") from None
    if digest.hexdigest() != sha1:
        part.unlink()
        raise Unavailable(f"{coordinates} from Maven Central: SHA-1 mismatch")
    part.replace(local)
    return local


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Node:
    """One OpenSearch process, its folder ``workdir`` (config, data, logs) its own."""

    name: str
    workdir: Path
    http_port: int = field(default_factory=free_port)
    transport_port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def start(self, cluster: list[Node]) -> None:
        home = distribution()
        conf = self.workdir / "config"
        shutil.rmtree(conf, ignore_errors=True)
        shutil.copytree(home / "config", conf)
        for sub in ("data", "logs", "tmp"):
            (self.workdir / sub).mkdir(parents=True, exist_ok=True)
        settings = {
            "cluster.name": "depeches-test", "node.name": self.name,
            "network.host": "127.0.0.1", "http.port": self.http_port,
            "transport.port": self.transport_port,
            "path.data": str(self.workdir / "data"), "path.logs": str(self.workdir / "logs"),
            "cluster.routing.allocation.disk.threshold_enabled": False,
            # A test's index is created and dropped in seconds: no automatic indices.
            "action.auto_create_index": False,
        }
        if len(cluster) == 1:
            settings["discovery.type"] = "single-node"
        else:
            settings["discovery.seed_hosts"] = [f"127.0.0.1:{n.transport_port}" for n in cluster]
            settings["cluster.initial_cluster_manager_nodes"] = [n.name for n in cluster]
        with (conf / "opensearch.yml").open("a", encoding="utf-8") as yml:
            for key, value in settings.items():
                yml.write(f"{key}: {json.dumps(value)}\n")
        env = {**os.environ, "OPENSEARCH_PATH_CONF": str(conf),
               "OPENSEARCH_JAVA_HOME": str(java_home()),
               "OPENSEARCH_TMPDIR": str(self.workdir / "tmp"),
               "OPENSEARCH_JAVA_OPTS": f"-Xms{HEAP} -Xmx{HEAP} -Djna.nosys=true "
                                       "-Djna.nounpack=true -Djna.noclasspath=true"}
        env.pop("JAVA_HOME", None)
        log = (self.workdir / "stdout.log").open("ab")
        # A session of its own, so that stop() ends the script and its JVM together.
        self.process = subprocess.Popen([str(home / "bin/opensearch")], cwd=self.workdir,
                                        env=env, stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        (self.workdir / "pid").write_text(str(self.process.pid))

    def kill(self) -> None:
        """SIGKILL, as a crash would."""
        self._signal(signal.SIGKILL)

    def stop(self, wait: float = 30.0) -> None:
        """SIGTERM, then SIGKILL if it has not ended within ``wait`` seconds."""
        self._signal(signal.SIGTERM)
        if self.process is not None:
            try:
                self.process.wait(wait)
            except subprocess.TimeoutExpired:
                self.kill()
                self.process.wait(10)
        (self.workdir / "pid").unlink(missing_ok=True)

    def _signal(self, sig: int) -> None:
        pid = self.process.pid if self.process else _read_pid(self.workdir)
        if pid is None:
            return
        with contextlib.suppress(ProcessLookupError):  # ended already
            os.killpg(pid, sig)

    def log_tail(self, lines: int = 20) -> str:
        path = self.workdir / "stdout.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def _read_pid(workdir: Path) -> int | None:
    try:
        return int((workdir / "pid").read_text())
    except (OSError, ValueError):
        return None


def health(url: str, status: str = "green", timeout: float = 1.0) -> dict | None:
    """The cluster's health once it reaches ``status``, or ``None``."""
    query = f"{url}/_cluster/health?wait_for_status={status}&timeout={int(timeout)}s"
    try:
        with urllib.request.urlopen(query, timeout=timeout + 5) as r:
            answer = json.loads(r.read())
    except (OSError, ValueError):
        return None
    return None if answer.get("timed_out") else answer


def start_cluster(workdir: Path, nodes: int = 1, timeout: float = START_TIMEOUT) -> list[Node]:
    """``nodes`` nodes in one cluster under ``workdir``, green; stopped again if they
    do not get there within ``timeout`` seconds."""
    cluster = [Node(f"node-{i}", workdir / f"node-{i}") for i in range(nodes)]
    try:
        for node in cluster:
            node.start(cluster)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for node in cluster:
                if node.process is not None and node.process.poll() is not None:
                    raise Unavailable(f"OpenSearch {node.name} exited with "
                                      f"{node.process.returncode}:\n{node.log_tail()}")
            answer = health(cluster[0].url, timeout=2)
            if answer is not None and answer.get("number_of_nodes") == nodes:
                return cluster
            time.sleep(0.5)
        raise Unavailable(f"OpenSearch not green within {timeout:.0f} s:\n"
                          f"{cluster[0].log_tail()}")
    except BaseException:
        for node in cluster:
            node.stop(wait=10)
        raise


def stop_cluster(workdir: Path) -> None:
    """Stop every node started under ``workdir`` (by the PIDs their folders keep)."""
    for folder in sorted(workdir.glob("node-*")):
        node = Node(folder.name, folder)
        node.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=["start", "stop"])
    ap.add_argument("workdir", type=Path)
    ap.add_argument("--nodes", type=int, default=1)
    args = ap.parse_args(argv)
    if args.action == "stop":
        stop_cluster(args.workdir)
        return 0
    try:
        cluster = start_cluster(args.workdir, args.nodes)
    except Unavailable as e:
        print(f"opensearch_node: {e}", file=sys.stderr)
        return 2
    for node in cluster:
        print(node.url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
