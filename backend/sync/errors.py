"""Whole-request refusals of the sync endpoints (per-item problems are results, not errors)."""

from __future__ import annotations

from backend.errors import Conflict, DomainError


class DeviceRequired(DomainError):
    code, status, title = "sync.device_required", 403, "Sync needs a device-bound sign-in"


class DeviceMismatch(DomainError):
    code, status, title = "sync.device_mismatch", 403, "The token belongs to another device"


class UnsupportedProtocol(DomainError):
    code, status, title = "protocol.unsupported", 426, "Protocol version not supported"


class BatchTooLarge(DomainError):
    code, status, title = "sync.batch_too_large", 413, "Too many mutations in one push"


class MutationMismatch(Conflict):
    code, title = "sync.mutation_mismatch", "A mutation id was reused with different content"
