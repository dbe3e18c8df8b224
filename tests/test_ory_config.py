"""deploy/ory: Hydra's and Kratos's config files validate against Ory's published JSON Schemas."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from referencing import Registry, Resource
from stack_harness.compose_file import service_environment

REPO = Path(__file__).resolve().parents[1]
ORY = REPO / "deploy" / "ory"
PUBLIC = "http://localhost:8080"
# The ory:// ids the config schemas refer to, and the files that hold them (ory-spec/README.md).
ORY_REFS = {
    "ory://cors-config": "configx-cors.schema.json",
    "ory://serve-config": "configx-serve.schema.json",
    "ory://tls-config": "configx-tls.schema.json",
    "ory://tracing-config": "otelx-config.schema.json",
}
# Variables Kratos v25.4.0 passes to each template type (courier/template/email/*.go).
TEMPLATE_FIELDS = {
    "recovery_code/valid": {"To", "RecoveryCode", "Identity", "RequestURL", "ExpiresInMinutes"},
    "recovery_code/invalid": {"To", "RequestURL"},
    "verification_code/valid": {
        "To",
        "VerificationURL",
        "VerificationCode",
        "Identity",
        "RequestURL",
        "ExpiresInMinutes",
    },
    "verification_code/invalid": {"To", "RequestURL"},
}


def validator_for(spec: Path, name: str) -> jsonschema.Draft7Validator:
    registry: Registry[Any] = Registry()
    for uri, filename in ORY_REFS.items():
        contents = json.loads((spec / "ory-x" / filename).read_text())
        registry = registry.with_resource(uri, Resource.from_contents(contents))
    schema = json.loads((spec / f"{name}-config-v25.4.0.schema.json").read_text())
    return jsonschema.Draft7Validator(
        schema, registry=registry, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((ORY / f"{name}.yml").read_text())
    assert isinstance(data, dict)
    return data


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node and node["$ref"].startswith("#/definitions/"):
        node = schema["definitions"][node["$ref"].rsplit("/", 1)[1]]
    return node


def apply_env(config: dict[str, Any], schema: dict[str, Any], key: str, value: str) -> None:
    """Set the config key an Ory env variable names (SERVE_PUBLIC_BASE_URL: serve.public.base_url).

    Keys contain underscores too, so each level takes the longest property name that matches.
    A number after an array's name is an index into the array the file already holds (Ory's
    configx does the same: ..._HOOKS_0_CONFIG_URL). An unknown name fails: a typo in
    docker-compose.yml would be silently ignored by Ory.
    """
    tokens = key.lower().split("_")
    node: dict[str, Any] = schema
    target: Any = config
    while tokens:
        node = _choice(schema, resolve(schema, node), target, tokens[0])
        properties = node.get("properties", {})
        for size in range(len(tokens), 0, -1):
            name = "_".join(tokens[:size])
            if name in properties:
                break
        else:
            raise AssertionError(f"{key}: no config key {'_'.join(tokens)!r} here")
        tokens = tokens[size:]
        child = resolve(schema, properties[name])
        if not tokens:
            target[name] = [value] if child.get("type") == "array" else value
            return
        if child.get("type") == "array" and tokens[0].isdigit():
            items, index = target.get(name, []), int(tokens.pop(0))
            assert index < len(items), f"{key}: the file has no item {index} of {name}"
            target, node = items[index], child["items"]
            continue
        target = target.setdefault(name, {})
        node = child


def _choice(
    schema: dict[str, Any], node: dict[str, Any], target: Any, first: str
) -> dict[str, Any]:
    """Of an anyOf/oneOf, the choice the file's value is (its `type` const, as Ory's hooks and
    auth say which they are), else the one with a key starting with `first`."""
    choices = [resolve(schema, c) for c in node.get("anyOf", node.get("oneOf", []))]
    if "properties" in node or not choices:
        return node
    for choice in choices:
        const = choice.get("properties", {}).get("type", {}).get("const")
        if const is not None and isinstance(target, dict) and target.get("type") == const:
            return choice
    for choice in choices:
        if any(p.split("_")[0] == first for p in choice.get("properties", {})):
            return choice
    raise AssertionError(f"no choice has a key starting with {first!r}")


def effective_config(spec: Path, name: str) -> dict[str, Any]:
    """The config file plus the environment docker-compose.yml gives the server."""
    config = load(name)
    schema = json.loads((spec / f"{name}-config-v25.4.0.schema.json").read_text())
    for key, value in service_environment(name).items():
        if key == "DSN":
            config["dsn"] = value
        else:
            apply_env(config, schema, key, value)
    return config


@pytest.mark.parametrize("name", ["hydra", "kratos"])
def test_config_with_compose_environment_validates_against_ory_schema(
    ory_spec: Path, name: str
) -> None:
    config = effective_config(ory_spec, name)
    errors = sorted(validator_for(ory_spec, name).iter_errors(config), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    assert config["dsn"].startswith(f"mysql://{name}:")


def test_a_broken_config_is_caught_by_the_validation(ory_spec: Path) -> None:
    broken = load("kratos")
    broken["session"]["whoami"]["required_aal"] = "aal3"
    assert list(validator_for(ory_spec, "kratos").iter_errors(broken))


def test_hydra_issuer_and_ui_urls_are_the_public_nginx_urls() -> None:
    urls = load("hydra")["urls"]
    assert urls["self"]["issuer"] == f"{PUBLIC}/"
    for page in ("login", "consent", "logout", "error"):
        assert urls[page] == f"{PUBLIC}/auth/{page}"
    assert urls["post_logout_redirect"] == f"{PUBLIC}/auth/logged-out"


def test_kratos_public_url_ui_and_security_settings() -> None:
    config = load("kratos")
    assert config["serve"]["public"]["base_url"] == f"{PUBLIC}/kratos/"
    flows = config["selfservice"]["flows"]
    for flow in ("login", "registration", "settings", "recovery", "verification", "error"):
        assert flows[flow]["ui_url"] == f"{PUBLIC}/auth/{flow}"
    assert flows["recovery"]["use"] == "code"
    assert flows["verification"]["use"] == "code"
    assert config["session"]["whoami"]["required_aal"] == "highest_available"
    methods = config["selfservice"]["methods"]
    assert methods["totp"]["enabled"]
    assert methods["lookup_secret"]["enabled"]
    assert methods["code"]["enabled"]
    assert config["hashers"]["algorithm"] == "argon2"
    assert f"{PUBLIC}/" in config["selfservice"]["allowed_return_urls"]
    assert config["courier"]["smtp"]["connection_uri"].startswith("smtp://mailpit:1025/")


def test_kratos_identity_schema_is_the_one_in_deploy_ory() -> None:
    schema_url = load("kratos")["identity"]["schemas"][0]["url"]
    assert schema_url == "file:///etc/config/kratos/identity.schema.json"
    assert (ORY / "identity.schema.json").exists()


@pytest.mark.parametrize("kind", sorted(TEMPLATE_FIELDS))
def test_courier_templates_have_the_layout_and_fields_kratos_expects(kind: str) -> None:
    folder = ORY / "courier-templates" / kind
    for part in ("email.subject.gotmpl", "email.body.gotmpl", "email.body.plaintext.gotmpl"):
        text = (folder / part).read_text()
        used = set(re.findall(r"\{\{-?\s*\.(\w+)", text))
        assert used <= TEMPLATE_FIELDS[kind], (part, used - TEMPLATE_FIELDS[kind])
    body = (folder / "email.body.plaintext.gotmpl").read_text()
    if kind == "recovery_code/valid":
        assert "{{ .RecoveryCode }}" in body
    if kind == "verification_code/valid":
        assert "{{ .VerificationCode }}" in body


def test_login_service_says_the_password_rules_kratos_enforces() -> None:
    from login_service import Settings

    password = load("kratos")["selfservice"]["methods"]["password"]["config"]
    fields = Settings.model_fields
    assert fields["password_min_length"].default == password["min_password_length"]
    assert fields["password_identifier_similarity_check"].default == password.get(
        "identifier_similarity_check_enabled", True
    )
    assert fields["password_breach_check"].default == password.get("haveibeenpwned_enabled", True)
