"""Injected faults: consumed in the order added, each for ``count`` matching requests."""

from __future__ import annotations

import itertools
import threading

KINDS = ('latency', 'status', 'drop', 'malformed', 'attribute_failure', 'approval')


class FaultError(ValueError):
    """A fault definition the simulator cannot use."""


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.active = []
        self.ids = itertools.count(1)

    def add(self, fault):
        if not isinstance(fault, dict) or fault.get('kind') not in KINDS:
            raise FaultError('kind must be one of %s (expire_tokens is an action)' % ', '.join(KINDS))
        fault = dict(fault)
        fault.setdefault('count', 1)
        if fault['kind'] == 'status' and not isinstance(fault.get('status'), int):
            raise FaultError('a status fault needs an integer status')
        if fault['kind'] == 'drop' and fault.get('when', 'before') not in ('before', 'after'):
            raise FaultError('when must be before or after')
        if fault['kind'] == 'latency' and not isinstance(fault.get('seconds'), (int, float)):
            raise FaultError('a latency fault needs seconds')
        with self.lock:
            fault['id'] = next(self.ids)
            self.active.append(fault)
        return fault['id']

    def clear(self):
        with self.lock:
            self.active = []

    def list(self):
        with self.lock:
            return [dict(f) for f in self.active]

    def take(self, method, path, kinds):
        """Consume, per kind, the first fault of ``kinds`` that matches this request; returns them."""
        taken = []
        with self.lock:
            for fault in list(self.active):
                if fault['kind'] not in kinds or fault['kind'] in [t['kind'] for t in taken]:
                    continue
                if fault.get('methods') and method not in [m.upper() for m in fault['methods']]:
                    continue
                if fault.get('path_contains') and fault['path_contains'] not in path:
                    continue
                taken.append(dict(fault))
                if fault['count'] is not None:
                    fault['count'] -= 1
                    if fault['count'] <= 0:
                        self.active.remove(fault)
        return taken
