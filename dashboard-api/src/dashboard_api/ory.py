"""The Hydra and Kratos clients dashboard-api uses, built once per process from Settings."""

from __future__ import annotations

from dataclasses import dataclass

from stackspin_clients import ClientConfig, HydraAdmin, KratosAdmin, KratosPublic

from dashboard_api.config import Settings


@dataclass
class OryClients:
    hydra: HydraAdmin
    kratos: KratosAdmin
    # Only to read the state of recovery flows we made (see users.invitations).
    kratos_public: KratosPublic

    @classmethod
    def from_settings(cls, settings: Settings) -> OryClients:
        def config(url: str) -> ClientConfig:
            return ClientConfig(
                base_url=url,
                connect_timeout=settings.connect_timeout,
                read_timeout=settings.read_timeout,
                max_retries=settings.max_retries,
            )

        return cls(
            hydra=HydraAdmin(config(settings.hydra_admin_url)),
            kratos=KratosAdmin(config(settings.kratos_admin_url)),
            kratos_public=KratosPublic(config(settings.kratos_public_url)),
        )

    def close(self) -> None:
        self.hydra.close()
        self.kratos.close()
        self.kratos_public.close()
