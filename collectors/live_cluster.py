"""Live cluster: the objects a running cluster serves, read-only through a kubeconfig, as the manifest collector's facts."""

from __future__ import annotations

import importlib
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Diagnostic, Fact, Loc, Severity
from .kubernetes import KIND_OBJECT, K8sObject

INSTALL_HINT = "pip install 'archinfer[cluster]'"
SYSTEM_NAMESPACES = frozenset({"kube-system", "kube-public", "kube-node-lease"})
# Objects per list request: bounds the size of one response (and so how many Secret values one holds).
PAGE_SIZE = 250
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
# Server bookkeeping that no manifest carries and that changes on every write.
VOLATILE_METADATA = ("managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink")
# ConfigMap keys dropped whole: their values are credentials put where they should not be.
CREDENTIAL_KEY = re.compile(r"password|passwd|pwd|secret|token|key|credential|connection|dsn", re.I)
# ...and values that are credentials whatever the key: a URL with a password in it, a private key.
CREDENTIAL_VALUE = re.compile(r"[a-z][\w+.-]*://[^/\s@:]*:[^/\s@]+@|-----BEGIN [A-Z ]*PRIVATE KEY-----", re.I)


@dataclass(frozen=True)
class ClusterRead:
    """What one kubeconfig context's cluster serves: one fact per object, and what could not be read."""

    context: str
    facts: tuple[Fact, ...]
    diagnostics: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class Listing:
    """One kind as the server serves it: built-ins through their typed API class, custom resources by plural."""

    api_version: str  # "v1", "apps/v1", "argoproj.io/v1alpha1"
    kind: str
    namespaced: bool
    api: str = ""  # the typed API class ("AppsV1Api"); "" for a custom resource
    plural: str = ""  # custom resources only, from discovery

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]

    @property
    def version(self) -> str:
        return self.api_version.rpartition("/")[2]


BUILTINS: tuple[Listing, ...] = (
    Listing("v1", "Namespace", False, "CoreV1Api"),
    Listing("apps/v1", "Deployment", True, "AppsV1Api"),
    Listing("apps/v1", "StatefulSet", True, "AppsV1Api"),
    Listing("apps/v1", "DaemonSet", True, "AppsV1Api"),
    Listing("batch/v1", "Job", True, "BatchV1Api"),
    Listing("batch/v1", "CronJob", True, "BatchV1Api"),
    Listing("v1", "Service", True, "CoreV1Api"),
    Listing("networking.k8s.io/v1", "Ingress", True, "NetworkingV1Api"),
    Listing("networking.k8s.io/v1", "IngressClass", False, "NetworkingV1Api"),
    Listing("autoscaling/v2", "HorizontalPodAutoscaler", True, "AutoscalingV2Api"),
    Listing("policy/v1", "PodDisruptionBudget", True, "PolicyV1Api"),
    Listing("networking.k8s.io/v1", "NetworkPolicy", True, "NetworkingV1Api"),
    Listing("v1", "ServiceAccount", True, "CoreV1Api"),
    Listing("rbac.authorization.k8s.io/v1", "Role", True, "RbacAuthorizationV1Api"),
    Listing("rbac.authorization.k8s.io/v1", "RoleBinding", True, "RbacAuthorizationV1Api"),
    Listing("rbac.authorization.k8s.io/v1", "ClusterRole", False, "RbacAuthorizationV1Api"),
    Listing("rbac.authorization.k8s.io/v1", "ClusterRoleBinding", False, "RbacAuthorizationV1Api"),
    Listing("v1", "PersistentVolumeClaim", True, "CoreV1Api"),
    Listing("storage.k8s.io/v1", "StorageClass", False, "StorageV1Api"),
    Listing("v1", "ConfigMap", True, "CoreV1Api"),
    Listing("v1", "Secret", True, "CoreV1Api"),
    Listing("v1", "ResourceQuota", True, "CoreV1Api"),
    Listing("v1", "LimitRange", True, "CoreV1Api"),
)

# (API group, kind): read when the cluster serves the group, at the first version (preferred first) that has the kind.
CUSTOM_KINDS: tuple[tuple[str, str], ...] = (
    ("argoproj.io", "Application"), ("argoproj.io", "ApplicationSet"), ("argoproj.io", "Rollout"),
    ("monitoring.coreos.com", "ServiceMonitor"), ("monitoring.coreos.com", "PodMonitor"),
    ("monitoring.coreos.com", "PrometheusRule"),
    ("networking.istio.io", "VirtualService"), ("networking.istio.io", "DestinationRule"),
    ("networking.istio.io", "Gateway"),
    ("gateway.networking.k8s.io", "Gateway"), ("gateway.networking.k8s.io", "HTTPRoute"),
    ("keda.sh", "ScaledObject"),
    ("autoscaling.k8s.io", "VerticalPodAutoscaler"),
    ("cert-manager.io", "Certificate"), ("cert-manager.io", "ClusterIssuer"),
    ("secrets-store.csi.x-k8s.io", "SecretProviderClass"),
    ("external-secrets.io", "ExternalSecret"),
    ("kafka.strimzi.io", "Kafka"),
)

# Kinds two groups share (Istio's and the Gateway API's Gateway): their provenance path names the group too.
_SHARED_KINDS = frozenset(k for k in {kind for _, kind in CUSTOM_KINDS}
                          if sum(1 for _, kind in CUSTOM_KINDS if kind == k) > 1)


class _Fatal(Exception):
    """The read cannot go on: the server is unreachable, too slow, not an API server, or rejects the credentials."""


class _Refused(Exception):
    """The server answered one request with an error status; the other requests go on."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class _Conn:
    """The client and the deadline every request of one read shares."""

    k8s: Any  # the `kubernetes` package
    client: Any  # kubernetes.client.ApiClient
    deadline: float  # time.monotonic() by which the whole read ends
    timeout: float

    def get(self, api: str, method: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """One GET through a typed API method, its JSON undecoded by the client's models."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise _Fatal(f"no answer within {self.timeout:g} s")
        transport_errors = (importlib.import_module("urllib3.exceptions").HTTPError, OSError)
        try:
            # Raw JSON, not the typed models: they drop fields this client version does not know and
            # turn timestamps into datetimes, so the body would no longer be what a manifest says.
            # A (connect, read) pair: clients before the pydantic rewrite silently ignore a float timeout.
            response = getattr(getattr(self.k8s.client, api)(self.client), method)(
                *args, _preload_content=False, _request_timeout=(remaining, remaining), **kwargs)
            try:
                raw = response.data
            finally:
                response.release_conn()
        except self.k8s.client.ApiException as exc:
            raise _api_error(exc) from None
        except transport_errors as exc:
            raise _Fatal(_transport_message(exc, self.timeout)) from None
        try:
            data = json.loads(raw)
        except ValueError:
            raise _Fatal("the server's answer is not JSON: not a Kubernetes API server?") from None
        if not isinstance(data, dict):
            raise _Fatal("the server's answer is not a JSON object: not a Kubernetes API server?")
        return data


def read_cluster(context: str | None = None, kubeconfig: str | None = None, namespaces: Sequence[str] | None = None,
                 timeout_seconds: float = 20.0) -> ClusterRead:
    """Every object of the listed kinds the cluster serves, as manifest facts; failures are diagnostics, never raised.

    `namespaces` None (or empty) reads the whole cluster but kube-system, kube-public and kube-node-lease;
    named namespaces are read whatever they are, and the cluster-scoped kinds with them.
    `timeout_seconds` bounds the whole read, not each request (a server slow to accept and then silent
    can stretch the last request to twice what was left).
    """
    deadline = time.monotonic() + timeout_seconds
    if isinstance(namespaces, str):  # a lone name is a Sequence[str] too: not its letters
        namespaces = (namespaces,)
    wanted = tuple(dict.fromkeys(n for n in namespaces or () if n)) or None
    try:
        # Imported here: it takes a noticeable fraction of a second, which only --cluster should pay.
        k8s = importlib.import_module("kubernetes")
    except ImportError as exc:
        return _failed(context or "", f"reading a cluster needs the Python package `kubernetes` ({exc}): {INSTALL_HINT}")
    try:
        name, client = _client(k8s, context, kubeconfig)
    except Exception as exc:  # kubeconfig loaders and auth plugins raise many types; the user needs the message
        which = kubeconfig or "$KUBECONFIG or ~/.kube/config"
        return _failed(context or "", f"cannot use the kubeconfig ({which}): {type(exc).__name__}: {_short(str(exc))}")
    try:
        return _read(_Conn(k8s, client, deadline, timeout_seconds), name, wanted)
    finally:
        client.close()


def _client(k8s: Any, context: str | None, kubeconfig: str | None) -> tuple[str, Any]:
    """The context's name and a client of its own (the package's default configuration is left alone)."""
    _, active = k8s.config.list_kube_config_contexts(config_file=kubeconfig)
    name = context or str((active or {}).get("name") or "")
    configuration = k8s.client.Configuration()
    # persist_config=False: a refreshed token must not be written back; this reader writes nothing.
    k8s.config.load_kube_config(config_file=kubeconfig, context=name or None,
                                client_configuration=configuration, persist_config=False)
    # urllib3 retries a refused or silent connection 3 times by default, multiplying every wait.
    configuration.retries = 0
    return name, k8s.client.ApiClient(configuration)


def _read(conn: _Conn, context: str, namespaces: tuple[str, ...] | None) -> ClusterRead:
    where = _where(context)
    diagnostics: list[Diagnostic] = []
    objects: list[tuple[Listing, dict[str, Any]]] = []
    try:
        listings, found = _discover(conn, where)
        diagnostics += found
        for listing in listings:
            for namespace in _scopes(listing, namespaces):
                try:
                    objects += [(listing, body) for body in _fetch(conn, listing, namespace)
                                if _wanted(listing, body, namespaces)]
                except _Refused as exc:
                    diagnostics.append(_refusal(where, listing, namespace, exc, namespaces is not None))
    except _Fatal as exc:
        host = str(getattr(conn.client.configuration, "host", ""))
        return _failed(context, f"cannot read the cluster at {host}: {exc}")
    facts = sorted((_fact(context, listing, body) for listing, body in objects), key=_order)
    return ClusterRead(context, tuple(facts), tuple(diagnostics))


def _failed(context: str, message: str) -> ClusterRead:
    return ClusterRead(context, (), (Diagnostic(Loc(_where(context) if context else "cluster"), Severity.ERROR, message),))


def _where(context: str) -> str:
    """The provenance path of a context's cluster: a "/" in its name (EKS contexts are ARNs) must not read as a folder."""
    return "cluster:" + context.replace("%", "%25").replace("/", "%2F")


def _discover(conn: _Conn, where: str) -> tuple[list[Listing], list[Diagnostic]]:
    """The built-in kinds whose group version is served, and the custom kinds found in the served groups."""
    try:
        answer = conn.get("ApisApi", "get_api_versions")
    except _Refused as exc:  # every API server serves /apis to every authenticated client
        raise _Fatal(f"/apis answers {exc.message}: not a Kubernetes API server?") from None
    groups = [g for g in answer.get("groups") or [] if isinstance(g, dict)]
    served = {str(v.get("groupVersion")) for g in groups for v in g.get("versions") or [] if isinstance(v, dict)}
    listings: list[Listing] = []
    diagnostics: list[Diagnostic] = []
    for builtin in BUILTINS:
        if builtin.api_version == "v1" or builtin.api_version in served:
            listings.append(builtin)
        else:  # an old cluster: e.g. no autoscaling/v2 before Kubernetes 1.23
            diagnostics.append(Diagnostic(Loc(where), Severity.INFO,
                                          f"{builtin.api_version} is not served: {builtin.kind} objects not read"))
    for group in groups:
        wanted = {kind for name, kind in CUSTOM_KINDS if name == group.get("name")}
        if wanted:
            listings += _custom_listings(conn, group, wanted)
    return listings, diagnostics


def _custom_listings(conn: _Conn, group: dict[str, Any], wanted: set[str]) -> list[Listing]:
    """The wanted kinds of one served group, each at the first version (preferred first) whose resources have it."""
    preferred = (group.get("preferredVersion") or {}).get("version")
    versions = sorted((str(v.get("version")) for v in group.get("versions") or [] if isinstance(v, dict)),
                      key=lambda version: version != preferred)
    found: list[Listing] = []
    for version in versions:
        try:
            resources = conn.get("CustomObjectsApi", "get_api_resources", group["name"], version).get("resources") or []
        except _Refused:
            continue  # a version the server lists but does not describe: the next one may
        for resource in resources:
            kind, plural = resource.get("kind"), str(resource.get("name", ""))
            if kind in wanted and "/" not in plural:  # "/" is a subresource (applications/status)
                found.append(Listing(f"{group['name']}/{version}", kind, bool(resource.get("namespaced")), "", plural))
                wanted.discard(kind)
        if not wanted:
            break
    return found


def _scopes(listing: Listing, namespaces: tuple[str, ...] | None) -> tuple[str | None, ...]:
    """Where to list a kind: the whole cluster (None), or each requested namespace (the Namespaces themselves too)."""
    if namespaces is None or (not listing.namespaced and listing.kind != "Namespace"):
        return (None,)
    return namespaces


def _fetch(conn: _Conn, listing: Listing, namespace: str | None) -> list[dict[str, Any]]:
    """The objects of one kind in one scope as manifests, page by page, each cleaned as its page arrives."""
    if listing.kind == "Namespace" and namespace is not None:  # a get: listing Namespaces needs cluster-wide rights
        return [_manifest(listing, conn.get("CoreV1Api", "read_namespace", namespace))]
    api, method, args = _list_call(listing, namespace)
    out: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = conn.get(api, method, *args, limit=PAGE_SIZE, **({"_continue": token} if token else {}))
        # Cleaned at once: a page of Secrets holds their values, and it is dropped at the next turn.
        out += [_manifest(listing, item) for item in page.get("items") or [] if isinstance(item, dict)]
        token = (page.get("metadata") or {}).get("continue") or None
        if not token:
            return out


def _list_call(listing: Listing, namespace: str | None) -> tuple[str, str, tuple[str, ...]]:
    """The API class, method and arguments that list a kind cluster-wide or in one namespace."""
    if not listing.api:
        if namespace is not None:
            return "CustomObjectsApi", "list_namespaced_custom_object", (
                listing.group, listing.version, namespace, listing.plural)
        return "CustomObjectsApi", "list_cluster_custom_object", (listing.group, listing.version, listing.plural)
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", listing.kind).lower()  # HorizontalPodAutoscaler -> horizontal_pod_autoscaler
    if not listing.namespaced:
        return listing.api, f"list_{snake}", ()
    if namespace is not None:
        return listing.api, f"list_namespaced_{snake}", (namespace,)
    return listing.api, f"list_{snake}_for_all_namespaces", ()


def _manifest(listing: Listing, item: dict[str, Any]) -> dict[str, Any]:
    """A served object as its manifest would say it: apiVersion and kind first, no status or server bookkeeping."""
    body: dict[str, Any] = {"apiVersion": listing.api_version, "kind": listing.kind}
    body.update((k, v) for k, v in item.items() if k not in ("apiVersion", "kind", "status"))
    body["metadata"] = _metadata(item.get("metadata"))
    if listing.kind == "Secret":
        for field in ("data", "stringData"):
            if isinstance(body.get(field), dict):
                body[field] = {str(key): "" for key in body[field]}
    elif listing.kind == "ConfigMap":
        if isinstance(body.get("data"), dict):
            body["data"] = {k: v for k, v in body["data"].items() if not _credential(str(k), v)}
        if isinstance(body.get("binaryData"), dict):  # opaque bytes: only the key names say anything
            body["binaryData"] = {str(k): "" for k in body["binaryData"] if not CREDENTIAL_KEY.search(str(k))}
    return body


def _metadata(metadata: Any) -> dict[str, Any]:
    if not isinstance(metadata, dict):
        return {}
    out = {k: v for k, v in metadata.items() if k not in VOLATILE_METADATA}
    if isinstance(out.get("annotations"), dict):
        # kubectl's copy of the applied manifest: it repeats the object, a Secret's values included.
        annotations = {k: v for k, v in out["annotations"].items() if k != LAST_APPLIED}
        if annotations:
            out["annotations"] = annotations
        else:
            del out["annotations"]
    return out


def _credential(key: str, value: Any) -> bool:
    return bool(CREDENTIAL_KEY.search(key)) or (isinstance(value, str) and bool(CREDENTIAL_VALUE.search(value)))


def _wanted(listing: Listing, body: dict[str, Any], namespaces: tuple[str, ...] | None) -> bool:
    """Leave out what no manifest of the project declares: system namespaces, Kubernetes' own objects, owned objects."""
    metadata = body["metadata"]
    name, namespace = metadata.get("name"), metadata.get("namespace")
    if namespaces is None and (namespace in SYSTEM_NAMESPACES or
                               (listing.kind == "Namespace" and name in SYSTEM_NAMESPACES)):
        return False
    # Made by a controller from an object that is read (a CronJob's Jobs, a ScaledObject's HPA): the owner is the fact.
    if any(isinstance(ref, dict) and ref.get("controller") for ref in metadata.get("ownerReferences") or []):
        return False
    return not _made_by_kubernetes(listing.kind, str(name), namespace, metadata.get("labels") or {})


def _made_by_kubernetes(kind: str, name: str, namespace: Any, labels: dict[str, Any]) -> bool:
    """Objects the API server and its controllers create in every cluster or every namespace."""
    if kind in ("ClusterRole", "ClusterRoleBinding"):
        # "system:" is reserved for Kubernetes; rbac-defaults marks cluster-admin, admin, edit, view.
        return name.startswith("system:") or labels.get("kubernetes.io/bootstrapping") == "rbac-defaults"
    return ((kind, name) in (("Namespace", "default"), ("ConfigMap", "kube-root-ca.crt"), ("ServiceAccount", "default"))
            or (kind, name, namespace) == ("Service", "kubernetes", "default"))


def _fact(context: str, listing: Listing, body: dict[str, Any]) -> Fact:
    metadata = body["metadata"]
    name = str(metadata.get("name") or metadata.get("generateName") or "")
    namespace = str(metadata["namespace"]) if metadata.get("namespace") is not None else None
    kind = f"{listing.kind}.{listing.group}" if listing.kind in _SHARED_KINDS else listing.kind
    loc = Loc(f"{_where(context)}/{namespace or '-'}/{kind}/{name}", 0)
    return Fact(KIND_OBJECT, loc, K8sObject(listing.api_version, listing.kind, name, namespace, body, loc, {},
                                            f"cluster:{context}"))


def _order(fact: Fact) -> tuple[str, str, str, str]:
    obj: K8sObject = fact.data
    return (obj.namespace or "", obj.kind, obj.name, obj.api_version)


def _refusal(where: str, listing: Listing, namespace: str | None, exc: _Refused, namespaced_read: bool) -> Diagnostic:
    what = f"{listing.kind} objects" if namespace is None or listing.kind != "Namespace" else f"namespace {namespace}"
    scope = f" in namespace {namespace}" if namespace is not None and listing.kind != "Namespace" else ""
    # A read limited to namespaces expects no cluster-wide rights: the cluster-scoped kinds it misses are no warning.
    expected = exc.status == 403 and namespaced_read and not listing.namespaced
    return Diagnostic(Loc(f"{where}/{namespace or '-'}/{listing.kind}"), Severity.INFO if expected else Severity.WARNING,
                      f"{what}{scope} not read: {exc.message}")


def _api_error(exc: Any) -> Exception:
    """An HTTP error status as the read sees it: fatal for the whole read, or a refusal of one request."""
    status = int(getattr(exc, "status", 0) or 0)
    if status == 0:  # the client's wrapping of TLS failures
        return _Fatal(_short(str(getattr(exc, "reason", "")) or "TLS error"))
    if status == 401:
        return _Fatal("the server rejects the kubeconfig's credentials (401 Unauthorized)")
    reason = str(getattr(exc, "reason", "") or "")
    # Only a Status object's message: the rest of the body or the headers are never shown.
    return _Refused(status, f"{status} {reason}".strip() + (f": {message}" if (message := _status_message(exc)) else ""))


def _status_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    try:
        status = json.loads(body) if isinstance(body, (str, bytes)) else None
    except ValueError:
        return ""
    if isinstance(status, dict) and status.get("kind") == "Status" and isinstance(status.get("message"), str):
        return _short(status["message"])
    return ""


def _transport_message(exc: BaseException, timeout: float) -> str:
    reason = getattr(exc, "reason", None) or exc  # MaxRetryError wraps the error that made it give up
    text = f"{type(reason).__name__}: {reason}"
    if "timed out" in text.lower() or "Timeout" in type(reason).__name__:
        return f"no answer within {timeout:g} s"
    return _short(text)


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"
