"""`python -m devstack.bench.ory_process LOGIN_BASE_URL`: run an OryStack until stdin closes.

Prints one JSON line with the four URLs once the stand-ins answer.
"""

from __future__ import annotations

import json
import logging
import sys

from devstack.stack import OryStack


def main() -> None:
    logging.disable(logging.WARNING)  # the stand-ins' "development only" banner, once per run
    with OryStack() as stack:
        stack.point_ui_at(sys.argv[1])
        urls = {
            "hydra_public_url": stack.hydra_public_url,
            "hydra_admin_url": stack.hydra_admin_url,
            "kratos_public_url": stack.kratos_public_url,
            "kratos_admin_url": stack.kratos_admin_url,
        }
        print(json.dumps(urls), flush=True)
        sys.stdin.read()


if __name__ == "__main__":
    main()
