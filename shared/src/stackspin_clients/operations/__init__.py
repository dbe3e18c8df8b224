"""Request builders of each API: functions returning an ``Operation``."""
