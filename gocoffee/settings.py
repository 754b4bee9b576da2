"""All configuration, read once from the environment (prefix GOCOFFEE_) and passed in."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GOCOFFEE_", env_nested_delimiter="__")

    data_dir: Path = Field(default=Path("var"), description="Where the embedded store and runtime files live.")
    database_url: str | None = Field(default=None, description="SQLAlchemy async URL; default SQLite in data_dir.")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    mcp_remote: dict[str, str] = Field(
        default={}, description="Domain -> streamable-HTTP URL of a remote MCP server; others run in-process.")
    mcp_allowed_hosts: list[str] = Field(
        default=["127.0.0.1:*", "localhost:*", "[::1]:*"], description="Host headers the MCP endpoints accept.")
    catalog_ttl_seconds: float = Field(default=30.0, ge=0, description="How long a menu snapshot is reused.")
    mqtt_url: str | None = Field(default=None, description="MQTT broker for the coffee machines, "
                                 "e.g. mqtt://127.0.0.1:1883.")
    kitchen: bool = Field(default=True, description="Run the kitchen's device link with the server; with no "
                          "mqtt_url, on an embedded broker with simulated machines.")
    mqtt_client_id: str = Field(default="gocoffee-kitchen", description="The kitchen's MQTT client id (its broker "
                                "session survives restarts under this name).")
    simulate_machines: int = Field(default=2, ge=0, le=50, description="Simulated machines per shop on the embedded "
                                   "broker (0: none).")
    simulate_time_scale: float = Field(default=0.05, gt=0, description="Simulated durations ×this (0.05: a "
                                       "90-second heat-up takes 4.5 s).")
    model: str = Field(default="offline", description="offline, openai:<model>, ollama:<model>, or an "
                       "OpenAI-compatible base URL like http://127.0.0.1:8080/v1#model-name.")
    openai_api_key: str | None = Field(default=None, description="For openai:<model> (or a keyed base URL).")
    seed: bool = Field(default=True, description="Load the demo chain into an empty store on start.")
    refund_approval_cents: int = Field(default=2_000, ge=0, description="Refunds above this need a manager.")
    stripe_api_key: SecretStr | None = Field(default=None, description="Stripe secret key; card payments are off "
                                             "without it.")
    stripe_webhook_secret: SecretStr | None = Field(default=None, description="Signing secret (whsec_…) of the "
                                                    "Stripe webhook endpoint.")
    stripe_api_base: str | None = Field(default=None, description="Another Stripe API base URL (tests, "
                                        "stripe-mock); default Stripe's own.")

    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'gocoffee.db').resolve()}"
