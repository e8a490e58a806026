"""Checks tests/vectors/packets.json with PyJWT, an independent JOSE implementation.

Every valid vector must verify with HS256 and decode to the recorded payload, and an "up" payload of either
schema (v1: one object per reading; v2: rows and tables) must expand to the recorded readings; every vector
refused for its signature or algorithm must be refused by PyJWT too. (Other refusals, such as a missing kid or a schema error,
are EdgeMeter's own rules on top of JWS, which PyJWT does not know.)
Usage: python3 pyjwt_check_vectors.py path/to/packets.json
"""
import json
import sys
from datetime import datetime, timedelta, timezone

import jwt
from jwt import api_jws

SIGNATURE_ERRORS = {"BadSignature", "AlgorithmNotAllowed"}


def readings(payload):
    """The readings of an "up" payload as flat objects, whichever schema (docs/packet-format.md)."""
    if payload["v"] == 1:
        return payload["r"]
    base = datetime.strptime(payload["t"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    flat, n = [], payload["n"]
    for row in payload["r"]:
        meter, seconds, rest = row[0], row[1], row[2:]
        flags = rest.pop(0) if isinstance(rest[0], list) else []
        point = rest[0]
        time = (base + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")
        for k, value in enumerate(rest[1:]):
            flat.append({"n": n, "m": payload["m"][meter], "p": payload["p"][point + k], "t": time,
                         "val": value, "u": payload["u"][point + k], "q": flags})
            n += 1
    return flat


def main(path):
    with open(path, encoding="utf-8") as f:
        vectors = json.load(f)

    failures = []
    valid = refused = 0
    for vector in vectors:
        name = vector["name"]
        key = bytes.fromhex(vector["key"])
        try:
            decoded = api_jws.decode_complete(vector["packet"], key=key, algorithms=["HS256"])
            problem = None
        except Exception as error:  # PyJWT raises several types; any refusal counts
            decoded, problem = None, repr(error)

        if vector["valid"]:
            valid += 1
            if problem is not None:
                failures.append(f"{name}: PyJWT refused a valid packet: {problem}")
                continue
            header = decoded["header"]
            if header.get("alg") != "HS256" or "kid" not in header:
                failures.append(f"{name}: unexpected header {header}")
            payload = json.loads(decoded["payload"].decode("utf-8"))
            if payload != vector["payload"]:
                failures.append(f"{name}: payload {payload} != recorded {vector['payload']}")
            if payload.get("k") == "up" and readings(payload) != vector["readings"]:
                failures.append(f"{name}: readings {readings(payload)} != recorded {vector['readings']}")
        elif vector["error"] in SIGNATURE_ERRORS:
            refused += 1
            if problem is None:
                failures.append(f"{name}: PyJWT accepted a packet refused for {vector['error']}")

    print(f"PyJWT {jwt.__version__}: {valid} valid vectors verified, {refused} bad signatures or algorithms refused")
    for failure in failures:
        print("FAIL " + failure)
    return 1 if failures or valid == 0 or refused == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
