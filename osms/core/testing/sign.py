"""Sign a text with the test chain, as NCALayer would (a detached CMS, base64), for trying the EDS
pages in development without a real certificate:

    python -m osms.core.testing.sign --iin 880327400777 "OSMS portal login - <token>"

--kind: valid (default), expired, revoked, self-signed. The NCANode stand-in must use the same --pki.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .pki import KINDS, TestPki


def main() -> None:
    parser = argparse.ArgumentParser(description="Sign a text with the test EDS chain (development only).")
    parser.add_argument("text", help="the text to sign, exactly as the page shows it")
    parser.add_argument("--iin", required=True)
    parser.add_argument("--kind", choices=KINDS, default="valid")
    parser.add_argument("--pki", type=Path, default=Path("var/eds-test-pki"))
    args = parser.parse_args()
    pki = TestPki.load_or_generate(args.pki)
    print(pki.sign(args.text.encode("utf-8"), iin=args.iin, kind=args.kind))


if __name__ == "__main__":
    main()
