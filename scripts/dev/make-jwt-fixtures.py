#!/usr/bin/env python3
"""Writes tests/fixtures/jwt-python-hmac.json: HS256 tokens made with Python's own hmac and
base64, not with the hub's JwtVerifier::sign, so that tst_jwtverifier checks the verifier
against a second implementation. Deterministic: running it again writes the same file."""
import base64
import hashlib
import hmac
import json
import pathlib

SECRET = "kucun-fixture-secret-0123456789"
OTHER_SECRET = "not-the-hub-secret-9876543210"
FAR_FUTURE = 4102444800  # 2100-01-01


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def token(header: str, claims: str, secret: str) -> str:
    signing_input = b64url(header.encode()) + "." + b64url(claims.encode())
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(signature)


HEADER = '{"alg":"HS256","typ":"JWT"}'
cases = [
    {
        "name": "subject and channels",
        "token": token(HEADER, json.dumps({"sub": "shop-7", "exp": FAR_FUTURE,
                                           "channels": ["inventory", "orders:*"]}), SECRET),
        "accepted": True, "sub": "shop-7", "channels": ["inventory", "orders:*"], "publish": [],
    },
    {
        "name": "publish globs, Chinese subject, header with spaces and key order of its own",
        "token": token('{ "typ" : "JWT", "alg" : "HS256" }',
                       json.dumps({"exp": FAR_FUTURE, "sub": "仓库管理员",
                                   "publish": ["inventory", "ws-*"]}, ensure_ascii=False),
                       SECRET),
        "accepted": True, "sub": "仓库管理员", "channels": None, "publish": ["inventory", "ws-*"],
    },
    {
        "name": "nbf in the past, extra claims",
        "token": token(HEADER, json.dumps({"exp": FAR_FUTURE, "nbf": 1700000000, "iss": "site",
                                           "aud": ["hub"], "sub": "s"}), SECRET),
        "accepted": True, "sub": "s", "channels": None, "publish": [],
    },
    {
        "name": "signed with another secret",
        "token": token(HEADER, json.dumps({"sub": "intruder", "exp": FAR_FUTURE}), OTHER_SECRET),
        "accepted": False, "reason": "the token's signature does not match",
    },
]

out = pathlib.Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "jwt-python-hmac.json"
out.write_text(json.dumps({"secret": SECRET, "made_by": "scripts/dev/make-jwt-fixtures.py",
                           "cases": cases}, ensure_ascii=False, indent=2) + "\n",
               encoding="utf-8")
print(out)
