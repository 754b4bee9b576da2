"""All configuration, read once from the environment (prefix GOCOFFEE_) and passed in."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from contracts.deploy import DaoRules

ANVIL_DEV_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
"""The first development account of anvil and hardhat: public, funded only on local dev chains."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GOCOFFEE_", env_nested_delimiter="__")

    data_dir: Path = Field(default=Path("var"), description="Where the embedded store and runtime files live.")
    database_url: str | None = Field(default=None, description="SQLAlchemy async URL; default SQLite in data_dir.")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    mcp_remote: dict[str, str] = Field(
        default={}, description="Domain -> streamable-HTTP URL of a remote MCP server; others run in-process.")
    allowed_hosts: list[str] = Field(
        default=["127.0.0.1:*", "localhost:*", "[::1]:*"], description="Host names this server answers to (`name` "
        "or `name:*` for any port), on REST and MCP alike; others get 421 (DNS rebinding). Add your public name.")
    max_request_bytes: int = Field(default=64 * 1024, ge=1024, description="Larger request bodies are refused (413).")
    dev_auth: bool = Field(default=False, description="Also accept the development identity header "
                           "X-GoCoffee-Principal on REST (anyone says who they are). Only on a loopback address: "
                           "serve refuses otherwise.")
    public_url: str = Field(default="http://127.0.0.1:8000", description="This platform's address as clients "
                            "reach it: the audience of its access tokens and the resource its MCP servers name.")
    cors_origins: list[str] = Field(default=[], description="Web origins (https://app.example) whose pages may "
                                    "call the API from a browser; none by default.")
    access_token_minutes: int = Field(default=15, ge=1, le=15, description="How long an access token is valid.")
    refresh_token_days: int = Field(default=30, ge=1, le=365, description="How long an unused session lasts.")
    redis_url: str | None = Field(default=None, description="Redis for rate limits shared by every server process, "
                                  "e.g. redis://127.0.0.1:6379; default: each process counts in memory.")
    rate_limits: dict[str, str] = Field(default={}, description="Changes to the rate limits (channels/rest/"
                                        "throttle.py LIMITS), e.g. GOCOFFEE_RATE_LIMITS='{\"chat_principal\": "
                                        "\"10/minute\"}'.")
    first_manager_email: str = Field(default="manager@gocoffee.example", description="The first manager's "
                                     "sign-in email, made at first start with a one-time password printed once.")
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
    eval_mode: bool = Field(default=False, description="Serve /api/v1/evals (reset to seed, read state) for an "
                            "eval runner. Never on a server people use.")
    refund_approval_cents: int = Field(default=2_000, ge=0, description="Refunds above this need a manager.")
    purchase_order_approval_cents: int = Field(default=150_000, ge=0, description="Submitting a purchase order "
                                               "worth more than this needs another manager's approval.")
    stripe_api_key: SecretStr | None = Field(default=None, description="Stripe secret key; card payments are off "
                                             "without it.")
    stripe_webhook_secret: SecretStr | None = Field(default=None, description="Signing secret (whsec_…) of the "
                                                    "Stripe webhook endpoint.")
    chain: bool = Field(default=True, description="Run COFFEE and the DAO: on the embedded EVM, or on the node at "
                        "chain_rpc_url.")
    chain_rpc_url: str | None = Field(default=None, description="A JSON-RPC node, e.g. http://127.0.0.1:8545 (anvil).")
    chain_operator_key: SecretStr = Field(default=SecretStr(ANVIL_DEV_KEY), description="The platform's signing "
                                          "key (deploys, escrow, rewards, gas). The default is a public dev key.")
    chain_confirmations: int = Field(default=1, ge=1, description="Blocks a COFFEE payment needs to count.")
    chain_block_seconds: float = Field(default=12.0, ge=0, description="Embedded EVM: mine an empty block this "
                                       "often so DAO votes end (0: only when transactions arrive).")
    dao: DaoRules = Field(default_factory=DaoRules, description="Governor and timelock settings for a new "
                          "deployment, e.g. GOCOFFEE_DAO__QUORUM_PERCENT=10.")
    wallet_key: SecretStr | None = Field(default=None, description="32 bytes, urlsafe base64: seals custodial keys. "
                                         "Default: generated once into data_dir/wallet.key.")
    smtp_url: str | None = Field(default=None, description="Email notifications through this SMTP server, e.g. "
                                 "smtp://127.0.0.1:1025 (smtps:// for TLS, user:password@ to sign in); "
                                 "without it, notifications reach the in-app inbox only.")
    smtp_from: str = Field(default="Go Coffee <noreply@gocoffee.example>", description="The sender of emails.")
    telegram_token: SecretStr | None = Field(default=None, description="The Telegram bot's token from "
                                             "@BotFather: turns on the bot, linking and Telegram notifications.")
    telegram_webhook_secret: SecretStr | None = Field(default=None, description="With it, the server takes "
                                                      "Telegram's updates at /telegram/webhook (only with this "
                                                      "secret in X-Telegram-Bot-Api-Secret-Token); without it, "
                                                      "run `gocoffee telegram` to poll.")
    telegram_api: str = Field(default="https://api.telegram.org", description="The Bot API server (tests: a local "
                              "one).")
    voice: Literal["whisper", "sphinx", "off"] = Field(default="whisper", description="Speech recognition for "
                                                       "voice turns: Whisper tiny.en (faster-whisper) or pocketsphinx "
                                                       "with a grammar of the menu; both need the voice extra.")
    stripe_api_base: str | None = Field(default=None, description="Another Stripe API base URL (tests, "
                                        "stripe-mock); default Stripe's own.")

    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'gocoffee.db').resolve()}"
