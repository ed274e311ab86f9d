"""The one explicit map from generated document regions to the view functions that fill them."""

from __future__ import annotations

from typing import Callable

from . import devops, physical, quality, security, techstack
from .inputs import Inputs
from .view import SectionView

SECTIONS: dict[str, Callable[[Inputs], SectionView]] = {
    "6.1.1": devops.backend_stack,
    "7.1.2": physical.cloud_provider,
    "7.2.1": physical.compute,
    "7.2.2": physical.network,
    "7.2.3": physical.security,
    "8.1.1": techstack.api_gateway,
    "8.1.2": techstack.service_mesh,
    "8.2.1": techstack.databases,
    "8.3.1": techstack.messaging,
    "8.3.2": techstack.storage,
    "8.4.1": techstack.logging,
    "8.4.2": techstack.monitoring,
    "8.4.3": techstack.tracing,
    "10.1.1": devops.ci,
    "10.1.2": devops.cd,
    "10.2.1": devops.kubernetes_setup,
    "10.2.2": devops.charts,
    "11.2.1": security.identity,
    "11.2.2": security.data_security,
    "12.1.1": quality.caching,
    "12.2.1": quality.autoscaling,
    "12.2.2": quality.load_balancing,
    "12.3.1": quality.resilience,
    "12.3.2": quality.disaster_recovery,
}


def build_views(inputs: Inputs) -> dict[str, SectionView]:
    """Every section's view, keyed by region id."""
    return {region: view(inputs) for region, view in SECTIONS.items()}
