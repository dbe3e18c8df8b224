"""Ports for servers that restart on them stay out of the kernel's ephemeral range."""

from __future__ import annotations

import socket
from pathlib import Path

from devstack.ports import HOST, free_port, steady_port


def _ephemeral() -> tuple[int, int]:
    low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
    return int(low), int(high)


def test_a_steady_port_is_below_the_ephemeral_range_and_free() -> None:
    low, _ = _ephemeral()
    ports = {steady_port() for _ in range(20)}
    assert all(10000 <= port < low for port in ports)
    assert len(ports) > 1  # picked at random, not one fixed port
    with socket.socket() as sock:
        sock.bind((HOST, ports.pop()))


def test_a_steady_port_is_never_one_already_bound() -> None:
    held = []
    try:
        for _ in range(30):
            port = steady_port()
            sock = socket.socket()
            sock.bind((HOST, port))  # would raise if steady_port handed out a held one
            held.append(sock)
    finally:
        for sock in held:
            sock.close()


def test_a_free_port_is_the_kernels_choice() -> None:
    low, high = _ephemeral()
    assert low <= free_port() <= high
