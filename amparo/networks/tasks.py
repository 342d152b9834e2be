"""Slow work of the networks module, run by `manage.py worker`."""

from __future__ import annotations

from django_tasks import task

from amparo.networks import delivery


@task()
def deliver(delivery_ids: list[str]) -> int:
    """Send a batch of alert deliveries. Safe to run twice: each is claimed first."""
    return delivery.deliver(delivery_ids)
