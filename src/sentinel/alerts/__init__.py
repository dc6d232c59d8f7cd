"""Alerting stage: response-window policies, clocks, escalation, rota, working-day calendar, notifiers."""
