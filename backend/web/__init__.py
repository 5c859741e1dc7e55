"""HTTP plumbing: load shedding, request logs, pagination, the OpenAPI document."""
