"""A client of the state websocket that sends whatever it likes, as an attacker's script would:
Engine.IO 4 / Socket.IO 5 spoken by hand over a websocket written by hand (RFC 6455, text
frames only), no browser, no frontend code. Hand-written because the frame the server sends
right after the upgrade must not be lost (a library client here dropped it now and then)."""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import time
import uuid
from urllib.parse import urlsplit

NAMESPACE = "/_event"


class CraftedSocket:
    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.token = token or str(uuid.uuid4())
        address = urlsplit(base_url)
        self.sock = socket.create_connection((address.hostname, address.port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        path = f"{NAMESPACE}/?EIO=4&transport=websocket&token={self.token}"
        self.sock.sendall(
            (
                f"GET {path} HTTP/1.1\r\nHost: {address.netloc}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._recv()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head[:200]
        self.received: list[str] = []
        assert self._next().startswith("0"), "no Engine.IO handshake"
        self.send(f"40{NAMESPACE},")
        while not self._next().startswith(f"40{NAMESPACE}"):
            pass

    def _recv(self) -> bytes:
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("the server closed the connection")
        return data

    def _read(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self.buffer += self._recv()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def _frame(self) -> tuple[int, bytes]:
        first, second = self._read(2)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack(">H", self._read(2))
        elif length == 127:
            (length,) = struct.unpack(">Q", self._read(8))
        return first & 0x0F, self._read(length)  # servers never mask

    def send(self, text: str, opcode: int = 1) -> None:
        payload = text.encode()
        mask = os.urandom(4)
        length = len(payload)
        if length < 126:
            header = struct.pack(">BB", 0x80 | opcode, 0x80 | length)
        elif length < 1 << 16:
            header = struct.pack(">BBH", 0x80 | opcode, 0x80 | 126, length)
        else:
            header = struct.pack(">BBQ", 0x80 | opcode, 0x80 | 127, length)
        masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def _next(self, timeout: float = 30) -> str:
        self.sock.settimeout(timeout)
        while True:
            try:
                opcode, payload = self._frame()
            except TimeoutError:
                raise TimeoutError("the server said nothing") from None
            if opcode == 9:  # websocket ping
                self.send(payload.decode(errors="replace"), opcode=10)
                continue
            if opcode == 8:
                raise ConnectionError("the server closed the websocket")
            text = payload.decode()
            if text == "2":  # Engine.IO ping: answer, or the server hangs up
                self.send("3")
                continue
            return text

    def emit(self, handler: str, payload: dict | None = None, path: str = "/") -> None:
        """Send one event for `handler` (a state's full name, a dot, the handler's name)."""
        event = {
            "name": handler,
            "payload": payload or {},
            "router_data": {"pathname": path, "query": {}, "asPath": path},
        }
        self.send(f"42{NAMESPACE}," + json.dumps(["event", event]))

    def drain(self, quiet_seconds: float = 2.0, limit_seconds: float = 120.0) -> int:
        """Read what the server sends until it has been quiet for a while; the packet count."""
        count = 0
        deadline = time.monotonic() + limit_seconds
        while time.monotonic() < deadline:
            try:
                self.received.append(self._next(timeout=quiet_seconds))
            except TimeoutError:
                return count
            count += 1
        return count

    def close(self) -> None:
        self.sock.close()
