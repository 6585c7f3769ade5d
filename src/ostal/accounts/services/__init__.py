"""Writes on accounts, one module per part: ``life`` (activation, e-mail, password, reset,
letters) and ``security`` (sessions, devices, second factor)."""
