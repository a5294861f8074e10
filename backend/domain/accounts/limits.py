"""The accounts slice's rate limits (numbers in rules.py), counted in Redis by backend.infra.rate_limit."""

from __future__ import annotations

from backend.domain.accounts import rules
from backend.infra.rate_limit import Limit

LOGIN_ADDRESS = Limit("login-address", *rules.LOGINS_PER_ADDRESS)
LOGIN_IP = Limit("login-ip", *rules.LOGINS_PER_IP)
RESET_ADDRESS = Limit("reset-address", *rules.RESETS_PER_ADDRESS)
SIGNUP_IP = Limit("signup-ip", *rules.SIGNUPS_PER_IP)
