"""What every handler needs: the live config, the store and the courier."""

from __future__ import annotations

from dataclasses import dataclass

from devstack.kratos.config import KratosConfig
from devstack.kratos.courier import Courier
from devstack.kratos.store import Store


@dataclass
class Runtime:
    config: KratosConfig
    store: Store
    courier: Courier
