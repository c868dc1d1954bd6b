"""The simulators' tests drive them through the campaigns' own X world."""

from tests.campaigns.conftest import x

__all__ = ["x"]
