"""A small asyncio HTTP/1.1 client for the benchmark: one connection per request, cookies kept per session.

Standard library only, so the load generator costs little CPU next to the
server it measures on the same machine, and nothing more has to be installed.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    seconds: float

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Session:
    host: str
    port: int
    cookies: dict = field(default_factory=dict)

    async def request(self, method: str, path: str, data: dict | None = None, referer: str = "") -> Response:
        body = urlencode(data or {}, doseq=True).encode() if method == "POST" else b""
        lines = [
            f"{method} {path} HTTP/1.1",
            f"Host: {self.host}:{self.port}",
            "Connection: close",
            "Accept-Language: th",
            "User-Agent: tracking-bench",
        ]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
                f"Referer: http://{self.host}:{self.port}{referer or path}",
                f"Origin: http://{self.host}:{self.port}",
            ]
        started = time.perf_counter()
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            await writer.drain()
            raw = await reader.read()
        finally:
            writer.close()
        seconds = time.perf_counter() - started
        head, _, payload = raw.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers: dict = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
            if name.strip().lower() == "set-cookie":
                cookie = SimpleCookie()
                cookie.load(value.strip())
                for key, morsel in cookie.items():
                    self.cookies[key] = morsel.value
        if "chunked" in ",".join(headers.get("transfer-encoding", [])):
            payload = _unchunk(payload)
        return Response(int(status_line.split()[1]), headers, payload, seconds)

    async def get(self, path: str) -> Response:
        return await self.request("GET", path)

    async def post(self, path: str, data: dict, referer: str = "") -> Response:
        data = {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return await self.request("POST", path, data, referer=referer)

    async def login(self, username: str, password: str) -> Response:
        await self.get("/accounts/login/")
        response = await self.post("/accounts/login/", {"login": username, "password": password})
        if response.status != 302:
            raise RuntimeError(f"login of {username} failed: HTTP {response.status}")
        return response


def _unchunk(payload: bytes) -> bytes:
    out, rest = [], payload
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out.append(rest[:size])
        rest = rest[size + 2 :]
    return b"".join(out)
