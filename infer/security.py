"""Section 11.2 (security implementation): identity and access, encryption and key management."""

from __future__ import annotations

from . import cluster
from .fields import as_text
from .inputs import Inputs, evidence_of, truthy
from .view import Bullet, Cell, SectionView


def identity(inp: Inputs) -> SectionView:
    """11.2.1: identity provider integration, token/federation, and the permission model."""
    t = inp.t
    clusters = inp.of("k8s_cluster")
    idp = [inp.describe(c, [("aad_managed", t("Microsoft Entra ID 통합 {}", "Microsoft Entra ID integration {}")),
                            ("local_accounts_disabled", t("로컬 계정 비활성화 {}", "local accounts disabled {}"))])
           for c in clusters if c.prop("aad_managed") is not None or c.prop("azure_rbac") is not None]
    idp += [inp.describe(c, []) for c in inp.of("idp", "oidc_provider")]
    identities = inp.of("identity")
    for prefix, mine in inp.by_deployment(identities):
        if mine:
            idp.append(Cell(prefix + t(f"{mine[0].product} {len(mine)}개", f"{len(mine)} × {mine[0].product}"),
                            evidence_of(mine)[:3]))
    tokens = [inp.describe(c, [("oidc_issuer", t("OIDC 발급자 {}", "OIDC issuer {}")),
                               ("workload_identity", t("워크로드 ID {}", "workload identity {}"))])
              for c in clusters if truthy(c, "oidc_issuer") or truthy(c, "workload_identity")]
    federations = inp.of("federation")
    if federations:
        tokens.append(Cell(t(f"페더레이션 자격 증명 {len(federations)}개", f"{len(federations)} federated credentials"),
                           evidence_of(federations)[:3]))
    model = [inp.describe(c, [("azure_rbac", "Azure RBAC {}")]) for c in clusters if c.prop("azure_rbac") is not None]
    model += [inp.describe(c, [("rbac", t("RBAC 권한 모델 {}", "RBAC authorization {}"))])
              for c in inp.of("key_vault") if c.prop("rbac") is not None]
    assignments = inp.of("role_assignment")
    for prefix, mine in inp.by_deployment(assignments):
        if mine:
            roles = sorted({as_text(c.value("role")) for c in mine if c.value("role") is not None})
            model.append(Cell(prefix + t(f"역할 할당 {len(mine)}개", f"{len(mine)} role assignments")
                              + (f" ({', '.join(roles)})" if roles else ""), evidence_of(mine)[:3]))
    model += cluster.identity_cells(inp)
    return SectionView("11.2.1", (
        Bullet(t("ID 제공자", "Identity provider"), tuple(idp)),
        Bullet(t("토큰 전략", "Token strategy"), tuple(tokens)),
        Bullet(t("권한 모델", "Authorization model"), tuple(model)),
    ))


def data_security(inp: Inputs) -> SectionView:
    """11.2.2: encryption settings written in the code, and key management."""
    t = inp.t
    encryption = [inp.describe(c, [("tls", t("최소 TLS {}", "minimum TLS {}")), ("non_ssl", t("비 TLS 포트 {}", "non-TLS port {}")),
                                   ("https_only", t("HTTPS 전용 {}", "HTTPS only {}")), ("encrypted", t("저장 암호화 {}", "encrypted at rest {}"))])
                  for c in inp.components if any(c.prop(k) is not None for k in ("tls", "https_only", "encrypted", "non_ssl"))]
    keys = [inp.describe(c, [("sku", "SKU {}"), ("purge_protection", t("삭제 보호 {}", "purge protection {}")),
                             ("soft_delete_days", t("일시 삭제 보존 {}일", "soft delete {} days")),
                             ("network_default", t("네트워크 기본 동작 {}", "network default action {}"))])
            for c in inp.of("key_vault")]
    keys += [inp.describe(c, [("rotation", t("순환 {}", "rotation {}"))]) for c in inp.of("kms", "key")]
    keys += cluster.secret_store_cells(inp)
    return SectionView("11.2.2", (
        Bullet(t("암호화 전략", "Encryption"), tuple(encryption)),
        Bullet(t("키 관리", "Key management"), tuple(keys)),
        Bullet(t("데이터 마스킹", "Data masking"), ()),
    ))
