"""The ``emulator`` sub-command: serve the emulator until interrupted.

On start it writes one JSON line to standard output with ``base_url``,
``api_key``, ``project_id`` and ``design_space_id``, so a script can start it
in the background and read where and how to connect. Request logs go to
standard error.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from types import FrameType

from design_space_sampling.emulator._emulator import (
    MAX_CANDIDATES,
    MAX_PER_PAGE,
    Emulator,
)
from design_space_sampling.errors import ValidationError

logger = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``emulator`` sub-command."""
    parser = argparse.ArgumentParser(
        prog="design-space-sampling emulator",
        description=(
            "Serve a local emulator of the platform's sample-design-space API "
            "on loopback until SIGINT or SIGTERM."
        ),
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, default=0, help="port to listen on; 0 picks a free one"
    )

    parser.add_argument(
        "--design-space",
        metavar="FILE",
        help="JSON file with a product design space; the bundled example if absent",
    )
    parser.add_argument(
        "--api-key", help="API key to accept; a random one is printed if absent"
    )
    parser.add_argument(
        "--seed", type=int, help="seed of ids and candidates, for reproducible runs"
    )

    parser.add_argument(
        "--token-ttl",
        type=float,
        default=3600.0,
        metavar="SECONDS",
        help="lifetime of access tokens in seconds (3600)",
    )
    parser.add_argument(
        "--step-seconds",
        type=float,
        default=0.05,
        metavar="SECONDS",
        help="seconds an execution spends in each stage before it moves on (0.05)",
    )

    parser.add_argument(
        "--max-candidates",
        type=int,
        default=MAX_CANDIDATES,
        help=f"maximum n_candidates accepted ({MAX_CANDIDATES})",
    )
    parser.add_argument(
        "--max-per-page",
        type=int,
        default=MAX_PER_PAGE,
        help=f"maximum per_page accepted ({MAX_PER_PAGE})",
    )

    parser.add_argument(
        "--log-level",
        default="INFO",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="level of the request log on standard error (INFO)",
    )

    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``emulator`` sub-command and return its exit status.

    Returns:
        0 after a clean stop on SIGINT or SIGTERM, 2 for invalid arguments or
        an invalid design space file.
    """
    parser = build_parser()
    arguments = parser.parse_args(argv)
    logging.basicConfig(
        level=arguments.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )

    try:
        emulator = Emulator(
            arguments.design_space,
            api_key=arguments.api_key,
            host=arguments.host,
            port=arguments.port,
            seed=arguments.seed,
            token_ttl=arguments.token_ttl,
            step_seconds=arguments.step_seconds,
            max_candidates=arguments.max_candidates,
            max_per_page=arguments.max_per_page,
        )
    except ValidationError as error:
        print(
            f"error: invalid design space {arguments.design_space}: {error}",
            file=sys.stderr,
        )
        return 2
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    stop = threading.Event()
    _install_stop_handlers(stop)
    try:
        emulator.start()
    except OSError as error:
        print(
            f"error: cannot listen on {arguments.host}:{arguments.port}: {error}",
            file=sys.stderr,
        )
        return 2

    try:
        line = {
            "base_url": emulator.base_url,
            "api_key": emulator.api_key,
            "project_id": emulator.project_id,
            "design_space_id": emulator.design_space_id,
        }
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    finally:
        emulator.close()
    return 0


def _install_stop_handlers(stop: threading.Event) -> None:
    if threading.current_thread() is not threading.main_thread():
        return

    def handle(signal_number: int, frame: FrameType | None) -> None:
        logger.info("Stopping on signal %d", signal_number)
        stop.set()

    signal.signal(signal.SIGINT, handle)
    signal.signal(signal.SIGTERM, handle)
