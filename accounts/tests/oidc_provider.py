"""A small but real OpenID Connect provider for the tests, served over HTTP on 127.0.0.1.

It speaks the authorization-code flow as an agency's Keycloak would: discovery,
JWKS, /authorize (which approves at once whoever the test says is signing in and
redirects back with a code), /token (an RS256 id_token with iss, aud, exp, nonce)
and /userinfo. allauth talks to it with real HTTP requests; the test carries the
browser's redirects by hand. ``fail`` makes it misbehave the way a broken
provider does.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

KID = "test-key-1"


class Provider:
    def __init__(self, client_id="tracking", client_secret="provider-secret"):  # noqa: S107 (a test provider)
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        # Who /authorize signs in next: the claims of the person at the provider.
        self.person = {"sub": "subject-1", "email": "someone@example.go.th", "email_verified": True}
        # How to misbehave: None, "discovery_500", "discovery_not_json", "discovery_incomplete",
        # "token_error" or "authorize_error".
        self.fail: str | None = None
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def issuer(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Provider:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]}

    def authorize(self, query: dict) -> tuple[int, dict, bytes]:
        redirect_uri, state = query["redirect_uri"], query.get("state", "")
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, {}, b"unknown client"
        if self.fail == "authorize_error":
            params = {"error": "server_error", "state": state}
        else:
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "person": dict(self.person),
                "redirect_uri": redirect_uri,
                "nonce": query.get("nonce"),
                "code_challenge": query.get("code_challenge"),
            }
            params = {"code": code, "state": state}
        return 302, {"Location": f"{redirect_uri}?{urlencode(params)}"}, b""

    def token(self, form: dict, authorization: str | None) -> tuple[int, dict]:
        if self.fail == "token_error":
            return 500, {"error": "server_error"}
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.startswith("Basic "):
            client_id, _, secret = base64.b64decode(authorization[6:]).decode().partition(":")
        grant = self.codes.pop(form.get("code", ""), None)
        if client_id != self.client_id or secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant"}
        if grant["code_challenge"]:
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["code_challenge"]:
                return 400, {"error": "invalid_grant"}
        person, now = grant["person"], int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300, **person}
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": KID})
        access_token = secrets.token_urlsafe(16)
        self.tokens[access_token] = person
        answer = {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }
        return 200, answer

    def userinfo(self, authorization: str | None) -> tuple[int, dict]:
        person = self.tokens.get((authorization or "").removeprefix("Bearer "))
        if person is None:
            return 401, {"error": "invalid_token"}
        return 200, person


def _handler(provider: Provider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet test output
            pass

        def _send(self, status, body, headers=None, content_type="application/json"):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                if provider.fail == "discovery_500":
                    self._send(500, b"Internal Server Error", content_type="text/plain")
                elif provider.fail == "discovery_not_json":
                    self._send(200, b"<html>Maintenance</html>", content_type="text/html")
                elif provider.fail == "discovery_incomplete":
                    self._send(200, {"issuer": provider.issuer})
                else:
                    self._send(200, provider.discovery())
            elif url.path == "/jwks":
                self._send(200, provider.jwks())
            elif url.path == "/authorize":
                status, headers, body = provider.authorize(query)
                self._send(status, body, headers, content_type="text/plain")
            elif url.path == "/userinfo":
                self._send(*provider.userinfo(self.headers.get("Authorization")))
            else:
                self._send(404, {"error": "not_found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            if urlsplit(self.path).path == "/token":
                self._send(*provider.token(form, self.headers.get("Authorization")))
            else:
                self._send(404, {"error": "not_found"})

    return Handler
