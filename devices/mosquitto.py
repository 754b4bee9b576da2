"""A Mosquitto of one's own: the shipped config (deploy/mosquitto.conf) on a free local port, startable and
stoppable on that same port (benchmarks, and tests that restart the broker under its clients)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Self

SHIPPED_CONF = Path(__file__).resolve().parents[1] / "deploy" / "mosquitto.conf"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def accepts(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError:
        return False
    return True


class PrivateMosquitto:
    """A Mosquitto of the test's own, on the shipped config but a free port; it can be stopped and started again
    on the same port (to restart the broker under a client)."""

    def __init__(self, directory: Path, host: str = "127.0.0.1") -> None:
        self.host, self.port, self.directory = host, free_port(host), directory
        self.conf, self.log = directory / "mosquitto.conf", directory / "mosquitto.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.stop_signal = signal.SIGTERM

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"

    def _write_conf(self) -> None:
        text = re.sub(r"^listener\s+\d+(\s+\S+)?", f"listener {self.port} {self.host}", SHIPPED_CONF.read_text(),
                      count=1, flags=re.MULTILINE)
        if os.geteuid() == 0:  # as root it would switch to user `mosquitto`, which need not exist
            text += "\nuser root\n"
        self.conf.write_text(text)

    def command(self) -> list[str]:
        self._write_conf()
        return [shutil.which("mosquitto") or "/usr/sbin/mosquitto", "-c", str(self.conf)]

    def start(self, timeout: float = 10.0) -> None:
        """Start the broker and wait until it accepts connections."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.command(), stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while not accepts(self.host, self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.command()[0]} did not start on {self.port}: {self.log.read_text()[-2000:]}")
            time.sleep(0.01)

    def stop(self, timeout: float = 10.0) -> None:
        """`stop_signal`, and wait for it to exit (killing it if it will not)."""
        if self.process is None:
            return
        process, self.process = self.process, None
        process.send_signal(self.stop_signal)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
