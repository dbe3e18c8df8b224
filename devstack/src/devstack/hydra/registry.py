"""Everything one stand-in instance holds, shared by its public and admin apps."""

from __future__ import annotations

from dataclasses import dataclass

from devstack.hydra.backchannel import BackChannelLogout
from devstack.hydra.clients import Clients
from devstack.hydra.config import HydraConfig
from devstack.hydra.flows import Flows
from devstack.hydra.keys import SigningKey
from devstack.hydra.store import Store
from devstack.hydra.tokens import Tokens


@dataclass
class Registry:
    config: HydraConfig
    store: Store
    key: SigningKey
    clients: Clients
    tokens: Tokens
    flows: Flows
    backchannel: BackChannelLogout

    @classmethod
    def open(cls, config: HydraConfig) -> Registry:
        store = Store(config.database)
        key = SigningKey(store)
        clients = Clients(store, config)
        tokens = Tokens(store, config, key)
        flows = Flows(store, config, clients)
        # A kept state file would otherwise grow with every login: clean up on each start.
        flows.forget_expired()
        tokens.forget_expired()
        backchannel = BackChannelLogout(store, config, clients, key)
        return cls(config, store, key, clients, tokens, flows, backchannel)
