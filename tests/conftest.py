"""Shared pytest configuration, and fixtures that several test modules use.

The fixtures are the shared folder, a scripted loopback server with a fake
clock, a session and collection on that server, and a self-signed TLS
certificate. A module that needs another set-up defines a fixture of the
same name, which overrides these.

Select a Hypothesis profile with the ``HYPOTHESIS_PROFILE`` environment
variable: ``ci`` (bounded and reproducible), ``dev`` (the default) or
``thorough`` (for a long local run).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from resource_helpers import collection_on, open_session
from scripted_server import FakeClock, ScriptedServer

from design_space_sampling import SampleDesignSpaceExecutionCollection
from design_space_sampling.session import Session

settings.register_profile(
    "ci",
    max_examples=50,
    deadline=None,
    derandomize=True,
    print_blob=True,
)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

#: Root of the repository.
REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """Return the folder of shared payloads and cases beside the repository."""
    path = Path(__file__).resolve().parents[2] / "shared"
    if not path.is_dir():
        pytest.fail(
            f"shared folder {path} is missing: check it out beside the repository "
            "(it holds fixtures/ and cases/ that these tests read)"
        )
    return path


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    """Yield a running scripted server with an empty script."""
    with ScriptedServer() as running:
        yield running


@pytest.fixture
def clock() -> FakeClock:
    """Return a fake clock whose sleep does not wait."""
    return FakeClock()


@pytest.fixture
def session(server: ScriptedServer) -> Session:
    """Return a session on ``server`` with its own fake clock and a valid token."""
    return open_session(server, FakeClock())


@pytest.fixture
def collection(session: Session) -> SampleDesignSpaceExecutionCollection:
    """Return the collection of the fixed project and design space on ``session``."""
    return collection_on(session)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Return the paths of a self-signed certificate for 127.0.0.1 and its key."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "ec",
            "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key
