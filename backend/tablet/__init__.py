"""The reference tablet client (mobile_contract/README.md)."""
